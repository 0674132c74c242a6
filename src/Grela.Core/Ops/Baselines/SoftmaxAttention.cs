using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Ops.Baselines;

/// <summary>
/// Causal multi-head softmax attention (SASRec): position t attends to the real positions s &lt;= t.
/// Shapes: q, k, v [B, H, L, Dh]; keyValid [B, L] (bool, true at real items); result [B, H, L, Dh].
/// </summary>
public static class SoftmaxAttention
{
    private static readonly FunctionShapes causalShapes = FunctionShapes.Of(typeof(SoftmaxAttention), nameof(Causal));

    /// <summary>
    /// Score given to padding keys. Finite (RecBole uses -10000) so that a query with no real key
    /// in its past (an all-padding prefix) averages its past values instead of giving NaN; future
    /// keys get -infinity and so never receive weight.
    /// </summary>
    public const double MaskedScore = -1e9;

    /// <summary>
    /// softmax((q k^T) / sqrt(Dh) + mask) v, with mask[t, s] = -infinity where s &gt; t and
    /// <see cref="MaskedScore"/> where key s is padding. Dropout with <paramref name="dropout"/> is applied to the attention weights when
    /// <paramref name="training"/> (as in the SASRec paper and RecBole).
    /// </summary>
    [return: Shape("B H L Dh")]
    public static Tensor Causal(
        [Shape("B H L Dh")] Tensor q, [Shape("B H L Dh")] Tensor k, [Shape("B H L Dh")] Tensor v, [Shape("B L")] Tensor keyValid,
        double dropout = 0.0, bool training = false)
    {
        causalShapes.Check([q, k, v, keyValid]);
        using var scope = NewDisposeScope();
        var length = q.shape[2];
        var scores = matmul(q, k.transpose(-2, -1)) / Math.Sqrt(q.shape[3]);
        var future = ones(length, length, dtype: ScalarType.Bool, device: q.device).triu(1);
        var padding = keyValid.logical_not().unsqueeze(1).unsqueeze(1);            // [B, 1, 1, L]
        var weights = softmax(scores.masked_fill(padding, MaskedScore).masked_fill(future, double.NegativeInfinity), -1);
        if (training && dropout > 0) weights = nn.functional.dropout(weights, dropout, true);
        return matmul(weights, v).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The slow, obvious reference: for each query position t, dot products with keys 0..t, the
    /// padding keys set to <see cref="MaskedScore"/>, a softmax and a weighted sum. No dropout.
    /// </summary>
    public static Tensor CausalReference(Tensor q, Tensor k, Tensor v, Tensor keyValid)
    {
        using var scope = NewDisposeScope();
        var length = q.shape[2];
        var scale = 1.0 / Math.Sqrt(q.shape[3]);
        var rows = new List<Tensor>();
        for (long t = 0; t < length; t++)
        {
            var qt = q[.., .., (int)t];                          // [B, H, Dh]
            var ks = k[.., .., ..(int)(t + 1)];                  // [B, H, t+1, Dh]
            var vs = v[.., .., ..(int)(t + 1)];
            var scores = (ks * qt.unsqueeze(2)).sum(-1) * scale; // [B, H, t+1]
            var real = keyValid[.., ..(int)(t + 1)].unsqueeze(1); // [B, 1, t+1]
            scores = where(real, scores, full_like(scores, MaskedScore));
            var weights = softmax(scores, -1);
            rows.Add((weights.unsqueeze(-1) * vs).sum(2));       // [B, H, Dh]
        }
        return stack(rows, 2).MoveToOuterDisposeScope();
    }
}
