using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Ops;

/// <summary>
/// Rotary-enhanced linear attention (RELA) per head: q, k the positive kernel features (ELU + 1),
/// qr, kr the same features rotated by RoPE, v the values. Every form
/// computes A_m = qr_m S / (q_m . z + eps * n) with S = sum_n kr_n^T v_n and z = sum_n k_n over the
/// positions n it attends to (all of the window, or n &lt;= m).
/// </summary>
public static class LinearAttention
{
    private static readonly FunctionShapes globalShapes = FunctionShapes.Of(typeof(LinearAttention), nameof(Global));
    private static readonly FunctionShapes causalReadShapes = FunctionShapes.Of(typeof(LinearAttention), nameof(CausalRead));
    private static readonly FunctionShapes causalShapes = FunctionShapes.Of(typeof(LinearAttention), nameof(Causal));

    /// <summary>
    /// A learned state every causal query sees besides the real positions: S [H, d, d] added to the
    /// numerator's state, Z [H, d] to the denominator's key sum, and Count slots to the position
    /// count of the epsilon term (see <see cref="Models.RecGrela.RegisterSlots"/>).
    /// </summary>
    public sealed record Prior(Tensor S, Tensor Z, int Count) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose() { S.Dispose(); Z.Dispose(); }
    }

    /// <summary>The official denominator epsilon (added to the mean-normalised denominator).</summary>
    public const double Epsilon = 1e-6;

    /// <summary>
    /// The official global form: z = 1 / (q . mean_L(k) + 1e-6), kv = (kr^T L^-1/2)(v L^-1/2),
    /// A = (qr kv) z, per head, with every position of the window (padding included) in the sums.
    /// Inputs and output are in the merged layout [B, L, D] with D = heads * d (head h owns features
    /// h*d..(h+1)*d-1), so no transposes are needed: the per-head d x d states are the diagonal
    /// blocks of one [D, D] product, whose off-diagonal blocks are zeroed.
    /// </summary>
    [return: Shape("B L D")]
    public static Tensor Global(
        [Shape("B L D")] Tensor q, [Shape("B L D")] Tensor k, [Shape("B L D")] Tensor qr, [Shape("B L D")] Tensor kr, [Shape("B L D")] Tensor v, int heads)
    {
        globalShapes.Check([q, k, qr, kr, v]);
        using var scope = torch.NewDisposeScope();
        var (kv, kMean) = GlobalSums(k, kr, v, heads);
        return GlobalRead(q, qr, kv, kMean, heads).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The global state of a window, k, kr, v [B, L, D] -> (kv [B, D, D] block-diagonal, scaled by
    /// 1/L as (N^-1/2)^2; mean of k [B, 1, D]).
    /// </summary>
    public static (Tensor Kv, Tensor KMean) GlobalSums(Tensor k, Tensor kr, Tensor v, int heads)
    {
        using var scope = torch.NewDisposeScope();
        long length = k.shape[1], dim = k.shape[2];
        var kMean = k.mean([1], keepdim: true);
        var kv = kr.transpose(1, 2).bmm(v).mul_(1.0 / length).mul_(BlockDiagonal(heads, dim / heads, k.dtype, k.device));
        return (kv.MoveToOuterDisposeScope(), kMean.MoveToOuterDisposeScope());
    }

    /// <summary>Global attention for queries q, qr [B, L', D] (any positions) from a window's state: (qr kv) / (q . mean(k) + 1e-6) per head.</summary>
    public static Tensor GlobalRead(Tensor q, Tensor qr, Tensor kv, Tensor kMean, int heads)
    {
        using var scope = torch.NewDisposeScope();
        long batch = q.shape[0], length = q.shape[1], dim = q.shape[2], dh = dim / heads;
        var z = ((q * kMean).view(batch, length, heads, dh).sum(-1, keepdim: true) + Epsilon).reciprocal();
        var a = qr.bmm(kv).view(batch, length, heads, dh).mul_(z);
        return a.view(batch, length, dim).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Causal attention at one query per row: q, qr [B, 1, D] at position t_b, k, kr, v [B, L, D],
    /// keep [B, L] (1 for the real positions &lt;= t_b). Equals row t_b of <see cref="Causal"/>, with
    /// the sums formed directly in the merged layout (block-diagonal [D, D] state). A prior state
    /// (priorS [heads, d, d], priorZ [heads, d], priorCount slots; see <see cref="Prior"/>) is added to
    /// the sums when both tensors are given, and so are the read position's own summary-slot terms
    /// (localNumerator [B, 1, D], localKeyDot [B, 1, heads], from localCount slots).
    /// </summary>
    [return: Shape("B 1 D")]
    public static Tensor CausalRead(
        [Shape("B 1 D")] Tensor q, [Shape("B 1 D")] Tensor qr, [Shape("B L D")] Tensor k, [Shape("B L D")] Tensor kr, [Shape("B L D")] Tensor v,
        [Shape("B L")] Tensor keep, int heads,
        [Shape("heads D/heads D/heads")] Tensor? priorS = null, [Shape("heads D/heads")] Tensor? priorZ = null, int priorCount = 0,
        [Shape("B 1 D")] Tensor? localNumerator = null, [Shape("B 1 heads")] Tensor? localKeyDot = null, int localCount = 0)
    {
        causalReadShapes.Check([q, qr, k, kr, v, keep, priorS, priorZ, localNumerator, localKeyDot], ("heads", heads));
        using var scope = torch.NewDisposeScope();
        long batch = q.shape[0], dim = q.shape[2], dh = dim / heads;
        var w = keep.to_type(k.dtype).unsqueeze(-1);                                       // [B, L, 1]
        var kept = kr * w;
        var s = kept.transpose(1, 2).bmm(v).mul_(BlockDiagonal(heads, dh, k.dtype, k.device));
        var z = (k * w).sum(1, keepdim: true);                                             // [B, 1, D]
        var count = w.sum(1, keepdim: true).clamp_min(1).view(batch, 1, 1, 1);
        if (priorS is not null && priorZ is not null)
        {
            s = s + torch.block_diag(priorS.unbind(0));
            z = z + priorZ.reshape(1, 1, dim);
            count = count + priorCount;
        }
        var denominator = (q * z).view(batch, 1, heads, dh).sum(-1, keepdim: true) + count * Epsilon;
        var numerator = qr.bmm(s);
        if (localNumerator is not null && localKeyDot is not null)
        {
            numerator = numerator + localNumerator;
            denominator = denominator + localKeyDot.view(batch, 1, heads, 1) + localCount * Epsilon;
        }
        return (numerator.view(batch, 1, heads, dh) / denominator).view(batch, 1, dim).MoveToOuterDisposeScope();
    }

    /// <summary>[D, D] with ones on the heads' d x d diagonal blocks.</summary>
    public static Tensor BlockDiagonal(int heads, long dh, ScalarType dtype, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var head = torch.arange(heads * dh, ScalarType.Int64, device).div(dh, RoundingMode.floor);
        return head.unsqueeze(1).eq(head.unsqueeze(0)).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The exact causal form: A_t = qr_t S_t / (q_t . z_t + eps * n_t), S_t = sum_{s&lt;=t} kr_s^T v_s,
    /// z_t = sum_{s&lt;=t} k_s, n_t the number of real positions s &lt;= t (at least 1), i.e. the
    /// official formula applied to the prefix up to t. mask [B, L] (1 real, 0 padding; null = all
    /// real) removes padding from every sum. Chunked: within a chunk of <paramref name="chunk"/>
    /// positions a masked [C, C] product, across chunks a carried d x d state (one per chunk), so
    /// time and memory are linear in L. A prior state (priorS [H, d, d], priorZ [H, d], priorCount
    /// slots; see <see cref="Prior"/>) is added to every position's sums when both tensors are given.
    /// Terms that only position t sees (the summary slots': localNumerator [B, H, L, d] and
    /// localKeyDot [B, H, L, 1], from <paramref name="localCount"/> slots each) are added to its
    /// numerator and denominator when both are given.
    /// </summary>
    [return: Shape("B H L Dh")]
    public static Tensor Causal(
        [Shape("B H L Dh")] Tensor q, [Shape("B H L Dh")] Tensor k, [Shape("B H L Dh")] Tensor qr, [Shape("B H L Dh")] Tensor kr, [Shape("B H L Dh")] Tensor v,
        [Shape("B L")] Tensor? mask = null, int chunk = 32,
        [Shape("H Dh Dh")] Tensor? priorS = null, [Shape("H Dh")] Tensor? priorZ = null, int priorCount = 0,
        [Shape("B H L Dh")] Tensor? localNumerator = null, [Shape("B H L 1")] Tensor? localKeyDot = null, int localCount = 0)
    {
        causalShapes.Check([q, k, qr, kr, v, mask, priorS, priorZ, localNumerator, localKeyDot]);
        using var scope = torch.NewDisposeScope();
        long batch = q.shape[0], heads = q.shape[1], length = q.shape[2], dh = q.shape[3];
        Tensor count;
        if (mask is not null)
        {
            var m = mask.to_type(q.dtype).view(batch, 1, length, 1);
            k = k * m;
            kr = kr * m;
            count = m.cumsum(-2).clamp_min(1);
        }
        else
        {
            count = torch.arange(1, length + 1, q.dtype, q.device).view(length, 1);
        }
        var keys = k.cumsum(-2);
        var numerator = CausalNumerator(qr, kr, v, chunk);
        if (priorS is not null && priorZ is not null)
        {
            keys = keys + priorZ.unsqueeze(1);                           // [H, 1, d] broadcast over B and L
            numerator = numerator + qr.matmul(priorS);
            count = count + priorCount;
        }
        var denominator = (q * keys).sum(-1, keepdim: true) + count * Epsilon;
        if (localNumerator is not null && localKeyDot is not null)
        {
            numerator = numerator + localNumerator;
            denominator = denominator + localKeyDot + localCount * Epsilon;
        }
        return (numerator / denominator).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// sum_{s&lt;=t} (qr_t . kr_s) v_s for every t, [B, H, L, d], in chunks of C positions.
    /// </summary>
    public static Tensor CausalNumerator(Tensor qr, Tensor kr, Tensor v, int chunk)
    {
        using var scope = torch.NewDisposeScope();
        long batch = qr.shape[0], heads = qr.shape[1], length = qr.shape[2], dh = qr.shape[3];
        long c = ChunkFor(length, chunk);
        long chunks = (length + c - 1) / c;
        long padded = chunks * c;
        if (padded != length)
        {
            long[] pad = [0, 0, 0, padded - length];
            qr = nn.functional.pad(qr, pad);
            kr = nn.functional.pad(kr, pad);
            v = nn.functional.pad(v, pad);
        }
        var qc = qr.reshape(batch, heads, chunks, c, dh);
        var kc = kr.reshape(batch, heads, chunks, c, dh);
        var vc = v.reshape(batch, heads, chunks, c, dh);

        var increments = kc.transpose(-2, -1).matmul(vc);                 // [B, H, n, d, d]
        var before = increments.cumsum(2) - increments;                   // state entering each chunk
        var inter = qc.matmul(before);                                     // [B, H, n, C, d]
        var causal = torch.ones(c, c, ScalarType.Bool, qr.device).tril();
        var scores = qc.matmul(kc.transpose(-2, -1)).masked_fill_(causal.logical_not(), 0);
        var intra = scores.matmul(vc);                                     // [B, H, n, C, d]
        var result = (inter + intra).reshape(batch, heads, padded, dh);
        if (padded != length) result = result.narrow(2, 0, length);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The chunk size used for a sequence of <paramref name="length"/>: <paramref name="chunk"/> if it
    /// divides the length, else the divisor of the length in [chunk/2, 2 chunk] nearest to it (padding
    /// to a multiple costs copies and wasted work), else <paramref name="chunk"/> with padding.
    /// </summary>
    public static long ChunkFor(long length, int chunk)
    {
        long c = Math.Max(1, Math.Min(chunk, length));
        if (length % c == 0) return c;
        long best = c;
        for (long candidate = Math.Max(1, c / 2); candidate <= Math.Min(length, 2L * c); candidate++)
            if (length % candidate == 0 && (best == c || Math.Abs(candidate - c) < Math.Abs(best - c)))
                best = candidate;
        return best;
    }

    /// <summary>
    /// One streaming step. State S [B, H, d, d], z [B, H, d], count [B] (real positions seen so far,
    /// before this one); new features [B, H, d]. Returns the output [B, H, d] and the new state.
    /// </summary>
    public static (Tensor Output, Tensor S, Tensor Z) Step(
        Tensor s, Tensor z, Tensor count, Tensor q, Tensor k, Tensor qr, Tensor kr, Tensor v)
    {
        using var scope = torch.NewDisposeScope();
        var nextS = s + kr.unsqueeze(-1) * v.unsqueeze(-2);
        var nextZ = z + k;
        var n = (count.to_type(q.dtype) + 1).view(count.shape[0], 1, 1);
        var numerator = qr.unsqueeze(-2).matmul(nextS).squeeze(-2);
        var denominator = (q * nextZ).sum(-1, keepdim: true) + n * Epsilon;
        return ((numerator / denominator).MoveToOuterDisposeScope(), nextS.MoveToOuterDisposeScope(), nextZ.MoveToOuterDisposeScope());
    }
}
