using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Ops.Baselines;

/// <summary>
/// LinRec's linear attention (Liu et al., SIGIR 2023): features phi(x) = ELU(x) L2-normalised per
/// token (over the head width), no softmax and no denominator, A = phi(Q) (phi(K)^T V) / sqrt(Dh).
/// Shapes: q, k, v [B, H, L, Dh]; keyValid [B, L] (bool, true at real items); result [B, H, L, Dh].
/// Padding keys are zeroed, so they add nothing to the sums (the official code lets them in).
/// </summary>
public static class LinRecAttention
{
    private static readonly FunctionShapes causalShapes = FunctionShapes.Of(typeof(LinRecAttention), nameof(Causal));

    /// <summary>Default chunk length of <see cref="Causal"/>.</summary>
    public const int DefaultChunk = 32;

    /// <summary>ELU features, L2-normalised over the last dim (the head width).</summary>
    public static Tensor Features(Tensor x) => normalize(elu(x, 1.0), p: 2, dim: -1, eps: 1e-12);

    /// <summary>
    /// Causal form, linear in L: A_t = phi(q_t) (sum_{s&lt;=t} phi(k_s)^T v_s) / sqrt(Dh). Computed in
    /// chunks of <paramref name="chunk"/> positions: inside a chunk the masked quadratic form, across
    /// chunks a carried Dh x Dh state (exclusive prefix sum of the chunks' phi(K)^T V). At the last
    /// real position it equals the official (global) computation over the real items.
    /// </summary>
    [return: Shape("B H L Dh")]
    public static Tensor Causal(
        [Shape("B H L Dh")] Tensor q, [Shape("B H L Dh")] Tensor k, [Shape("B H L Dh")] Tensor v, [Shape("B L")] Tensor keyValid, int chunk = DefaultChunk)
    {
        causalShapes.Check([q, k, v, keyValid]);
        if (chunk <= 0) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "expected a positive chunk length");
        using var scope = NewDisposeScope();
        var (b, h, length, dh) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        var chunks = (length + chunk - 1) / chunk;
        var pad = chunks * chunk - length;
        Tensor Chunked(Tensor x) => (pad == 0 ? x : nn.functional.pad(x, [0, 0, 0, pad])).reshape(b, h, chunks, chunk, dh);
        var qc = Chunked(Features(q));
        var kc = Chunked(Features(k) * keyValid.unsqueeze(1).unsqueeze(-1).to(q.dtype));
        var vc = Chunked(v);

        var causal = ones(chunk, chunk, dtype: q.dtype, device: q.device).tril();
        var intra = matmul(matmul(qc, kc.transpose(-2, -1)) * causal, vc);        // [B, H, C, T, Dh]
        var perChunk = matmul(kc.transpose(-2, -1), vc);                          // [B, H, C, Dh, Dh]
        var before = cat([zeros_like(perChunk[.., .., ..1]), perChunk[.., .., ..^1]], 2).cumsum(2);
        var inter = matmul(qc, before);                                           // [B, H, C, T, Dh]
        var result = (intra + inter).reshape(b, h, chunks * chunk, dh)[.., .., ..(int)length];
        return (result / Math.Sqrt(dh)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The quadratic reference of <see cref="Causal"/>: ((phi(Q) phi(K)^T) masked to s &lt;= t) V / sqrt(Dh).
    /// </summary>
    public static Tensor CausalQuadratic(Tensor q, Tensor k, Tensor v, Tensor keyValid)
    {
        using var scope = NewDisposeScope();
        var length = q.shape[2];
        var kf = Features(k) * keyValid.unsqueeze(1).unsqueeze(-1).to(q.dtype);
        var scores = matmul(Features(q), kf.transpose(-2, -1));
        var causal = ones(length, length, dtype: q.dtype, device: q.device).tril();
        return (matmul(scores * causal, v) / Math.Sqrt(q.shape[3])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The official, non-causal form: every position sees the whole window,
    /// A = phi(Q) (phi(K)^T V) / sqrt(Dh), with padding keys zeroed.
    /// </summary>
    public static Tensor Global(Tensor q, Tensor k, Tensor v, Tensor keyValid)
    {
        using var scope = NewDisposeScope();
        var kf = Features(k) * keyValid.unsqueeze(1).unsqueeze(-1).to(q.dtype);
        var state = matmul(kf.transpose(-2, -1), v);                               // [B, H, Dh, Dh]
        return (matmul(Features(q), state) / Math.Sqrt(q.shape[3])).MoveToOuterDisposeScope();
    }
}
