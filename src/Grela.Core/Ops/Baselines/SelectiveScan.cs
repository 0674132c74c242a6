using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Ops.Baselines;

/// <summary>
/// Mamba's selective scan (Gu and Dao, 2023), per channel d and state n:
/// h_t = exp(delta_t A) h_{t-1} + delta_t B_t x_t,  y_t = C_t . h_t + D x_t.
/// Shapes: x, delta [B, L, Di]; a [Di, N] (negative); bIn, c [B, L, N]; d [Di]; result [B, L, Di].
/// </summary>
public static class SelectiveScan
{
    /// <summary>Default chunk length of <see cref="Chunked"/>.</summary>
    public const int DefaultChunk = 32;

    /// <summary>
    /// Added to both signed parts before their logarithm so that zeros have a finite log (and
    /// gradient); it cancels exactly when the negative part is subtracted from the positive one.
    /// </summary>
    private const double Tiny = 1e-30;

    /// <summary>
    /// The scan with tensor ops, sequential only across chunks of <paramref name="chunk"/> positions.
    /// Inside a chunk, with S_t the cumulative sum of the log-decays delta_s A (S is non-increasing):
    /// h_t = exp(S_t) h_0 + sum_{s&lt;=t} exp(S_t - S_s) u_s, u_s = delta_s B_s x_s. The sum is
    /// taken in log space (log-cumsum-exp of log|u_s| - S_s, separately for the positive and the
    /// negative part of u), so no exp(-S_s) is ever formed and large decays cannot overflow. The
    /// state at the end of a chunk is carried into the next.
    /// </summary>
    public static Tensor Chunked(Tensor x, Tensor delta, Tensor a, Tensor bIn, Tensor c, Tensor d, int chunk = DefaultChunk)
    {
        if (chunk <= 0) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "expected a positive chunk length");
        using var scope = NewDisposeScope();
        var length = x.shape[1];
        var logDecay = delta.unsqueeze(-1) * a;                                   // [B, L, Di, N]
        var input = (delta * x).unsqueeze(-1) * bIn.unsqueeze(2);                 // [B, L, Di, N]
        Tensor? state = null;                                                     // [B, Di, N]
        var outputs = new List<Tensor>();
        for (long start = 0; start < length; start += chunk)
        {
            var range = TensorIndex.Slice(start, Math.Min(start + chunk, length));
            var cum = logDecay[.., range].cumsum(1);
            var u = input[.., range];
            var positive = SignedPart(u, cum);
            var negative = SignedPart(-u, cum);
            var h = positive - negative;
            if (state is not null) h = h + cum.exp() * state.unsqueeze(1);
            outputs.Add((h * c[.., range].unsqueeze(2)).sum(-1));                 // [B, T, Di]
            state = h[.., -1];
        }
        return (cat(outputs, 1) + x * d).MoveToOuterDisposeScope();
    }

    /// <summary>sum_{s&lt;=t} exp(S_t - S_s) max(u_s, 0) (+ a cancelling Tiny term), in log space.</summary>
    private static Tensor SignedPart(Tensor u, Tensor cum) =>
        (cum + (nn.functional.relu(u) + Tiny).log().sub(cum).logcumsumexp(1)).exp();

    /// <summary>The slow, obvious reference: the recurrence one position at a time.</summary>
    public static Tensor Sequential(Tensor x, Tensor delta, Tensor a, Tensor bIn, Tensor c, Tensor d)
    {
        using var scope = NewDisposeScope();
        var (batch, length, inner) = (x.shape[0], x.shape[1], x.shape[2]);
        var h = zeros(batch, inner, a.shape[1], dtype: x.dtype, device: x.device);
        var outputs = new List<Tensor>();
        for (var t = 0; t < length; t++)
        {
            var (xt, dt) = (x[.., t], delta[.., t]);                              // [B, Di]
            h = (dt.unsqueeze(-1) * a).exp() * h + (dt * xt).unsqueeze(-1) * bIn[.., t].unsqueeze(1);
            outputs.Add((h * c[.., t].unsqueeze(1)).sum(-1) + d * xt);
        }
        return stack(outputs, 1).MoveToOuterDisposeScope();
    }
}
