using Grela.Layers;
using Grela.Ops;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// Summary slots for causal RELA, the causal counterpart of the official global form's padding
/// positions. There, from the second block on, each padding position has read the whole prefix in
/// the block before and enters every sum of the read position. Here each position t of block l + 1
/// gets <see cref="Count"/> extra key/value pairs, one per slot, read from block l's causal state at
/// t with a learned query: summary_j(t) = sum_{s&lt;=t} (q_j . k_s) P(v_s) / (q_j . z_t + eps n_t), per
/// head, with k_s block l's key features, v_s its values and P a learned map D -> 2D (into a key
/// half, which gets ELU + 1 as every key, and a value half). Position t alone sees its own slots, so
/// the model stays causal; a slot has no position (no rotation). Block 0 has no block before it and
/// no slots.
/// </summary>
[Layer]
public sealed partial record SummarySlots([Positive] int Count, [Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
{
    /// <summary>Raw queries [Count, Dim] (features after ELU + 1, positive like the keys they meet).</summary>
    [Parameter("q")]
    public Tensor RawQueries() => randn(Count, Dim) * 0.02;

    /// <summary>The map from the previous block's values to a slot's key and value (key half first).</summary>
    [Sub("proj")] public Linear Proj => new(Dim, 2 * Dim);

    /// <summary>
    /// The slots of every position from the previous block's key features and values, keys, values
    /// [B, L, Dim], mask [B, L] (padding leaves the sums) -> [B, L, Count, 2 Dim]: per slot its key
    /// (ELU + 1) then its value, both in the merged head layout.
    /// </summary>
    [Forward]
    [return: Shape("B L Count Dim*2")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor keys, [Shape("B L Dim")] Tensor values, [Shape("B L")] Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        long batch = keys.shape[0], length = keys.shape[1], dh = Dim / Heads;
        var real = mask.to_type(keys.dtype).unsqueeze(-1);                                   // [B, L, 1]
        var k = (keys * real).view(batch, length, Heads, dh);
        var q = Queries(m, keys.dtype);
        var weights = torch.einsum("blhd,jhd->bljh", k, q).view(batch, length, Count, 1, Heads, 1);
        var mapped = m.Proj.forward(values).view(batch, length, 1, 2, Heads, dh);
        var numerator = (weights * mapped).cumsum(1);                                      // [B, L, J, 2, H, d]
        var count = real.cumsum(1).clamp_min(1).view(batch, length, 1, 1);
        var denominator = torch.einsum("blhd,jhd->bljh", k.cumsum(1), q) + count * LinearAttention.Epsilon;
        var summary = numerator / denominator.view(batch, length, Count, 1, Heads, 1);
        return KeysThenValues(summary.reshape(batch, length, Count, 2, Dim)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The slots at one position per row, positions [B] -> [B, 1, Count, 2 Dim]: row b of
    /// <see cref="Forward"/> at positions[b], with the sums formed up to there only (evaluation reads
    /// the last block at one position).
    /// </summary>
    [return: Shape("B 1 Count Dim*2")]
    public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor keys, [Shape("B L Dim")] Tensor values, [Shape("B L")] Tensor mask, [Shape("B")] Tensor positions)
    {
        using var scope = torch.NewDisposeScope();
        long batch = keys.shape[0], length = keys.shape[1], dh = Dim / Heads;
        var upToRead = torch.arange(length, ScalarType.Int64, keys.device).unsqueeze(0).le(positions.unsqueeze(1));
        var real = mask.logical_and(upToRead).to_type(keys.dtype).unsqueeze(-1);          // [B, L, 1]
        var k = (keys * real).view(batch, length, Heads, dh);
        var q = Queries(m, keys.dtype);
        var weights = torch.einsum("blhd,jhd->bljh", k, q);
        var mapped = m.Proj.forward(values).view(batch, length, 2, Heads, dh);
        var numerator = torch.einsum("bljh,blchd->bjchd", weights, mapped);                 // [B, J, 2, H, d]
        var count = real.sum(1).clamp_min(1).view(batch, 1, 1);
        var denominator = torch.einsum("bhd,jhd->bjh", k.sum(1), q) + count * LinearAttention.Epsilon;
        var summary = numerator / denominator.view(batch, Count, 1, Heads, 1);
        return KeysThenValues(summary.reshape(batch, 1, Count, 2, Dim)).MoveToOuterDisposeScope();
    }

    /// <summary>The queries q_j = ELU(raw) + 1 per head, [Count, Heads, d].</summary>
    private Tensor Queries(Module m, ScalarType dtype) => elu(m.RawQueries.to_type(dtype), 1.0, false).add(1).view(Count, Heads, Dim / Heads);

    /// <summary>Summaries [B, L, Count, 2, Dim] (key half, value half) -> [B, L, Count, 2 Dim] with ELU + 1 on the keys.</summary>
    private static Tensor KeysThenValues(Tensor summary) =>
        torch.cat([elu(summary.select(3, 0), 1.0, false).add(1), summary.select(3, 1)], -1);

    /// <summary>
    /// What the slots add to each position's sums for its (unrotated) query features q [B, L, Dim]:
    /// the numerator sum_j (q_t . k_j) v_j in the merged layout [B, L, Dim] and the denominator's key
    /// term sum_j q_t . k_j per head [B, L, heads].
    /// </summary>
    public static (Tensor Numerator, Tensor KeyDot) Terms(Tensor q, Tensor slots, int heads)
    {
        using var scope = torch.NewDisposeScope();
        long batch = q.shape[0], length = q.shape[1], dim = q.shape[2], count = slots.shape[2], dh = dim / heads;
        var keys = slots.narrow(-1, 0, dim).view(batch, length, count, heads, dh);
        var values = slots.narrow(-1, dim, dim).reshape(batch, length, count, heads, dh);
        var scores = torch.einsum("blhd,bljhd->bljh", q.view(batch, length, heads, dh), keys);
        var numerator = torch.einsum("bljh,bljhd->blhd", scores, values).reshape(batch, length, dim);
        return (numerator.MoveToOuterDisposeScope(), scores.sum(2).MoveToOuterDisposeScope());
    }
}
