using Grela.Layers;
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
    private static readonly FunctionShapes parallelShapes = FunctionShapes.Of(typeof(SelectiveScan), nameof(Parallel));
    private static readonly FunctionShapes sequentialShapes = FunctionShapes.Of(typeof(SelectiveScan), nameof(Sequential));

    /// <summary>
    /// The scan with tensor ops in O(log L) dependent steps and O(L) total work
    /// (<see cref="LinearRecurrence"/>). Exact: it only multiplies decays in (0, 1] and adds, so large
    /// decays underflow harmlessly to 0 instead of overflowing.
    /// </summary>
    [return: Shape("B L D")]
    public static Tensor Parallel(
        [Shape("B L D")] Tensor x, [Shape("B L D")] Tensor delta, [Shape("D N")] Tensor a,
        [Shape("B L N")] Tensor bIn, [Shape("B L N")] Tensor c, [Shape("D")] Tensor d)
    {
        parallelShapes.Check([x, delta, a, bIn, c, d]);
        using var scope = NewDisposeScope();
        var decay = (delta.unsqueeze(-1) * a).exp();                             // [B, L, Di, N]
        var input = (delta * x).unsqueeze(-1) * bIn.unsqueeze(2);                // [B, L, Di, N]
        var h = LinearRecurrence(decay, input);
        return ((h * c.unsqueeze(2)).sum(-1) + x * d).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// h_t = a_t h_{t-1} + b_t along dim 1 with h_{-1} = 0, by odd-even reduction: fold each pair
    /// (2k, 2k+1) into one step (a_{2k+1} a_{2k}, a_{2k+1} b_{2k} + b_{2k+1}), solve the half-length
    /// recurrence for the odd positions recursively, then fill in the even positions from their
    /// odd predecessors. Any trailing shape; a and b of the same shape.
    /// </summary>
    public static Tensor LinearRecurrence(Tensor a, Tensor b)
    {
        var length = b.shape[1];
        if (length == 1) return b.alias();
        using var scope = NewDisposeScope();
        if (length % 2 == 1)
        {
            // An identity step at the end makes the length even; it is cut off below.
            a = cat([a, ones_like(a[.., ..1])], 1);
            b = cat([b, zeros_like(b[.., ..1])], 1);
        }
        var (even, odd) = (TensorIndex.Slice(0, null, 2), TensorIndex.Slice(1, null, 2));
        var (aEven, aOdd, bEven, bOdd) = (a[.., even], a[.., odd], b[.., even], b[.., odd]);
        var hOdd = LinearRecurrence(aOdd * aEven, bOdd.addcmul(aOdd, bEven, 1));
        var before = cat([zeros_like(hOdd[.., ..1]), hOdd[.., ..^1]], 1);      // h_{2k-1}
        var hEven = bEven.addcmul(aEven, before, 1);
        return stack([hEven, hOdd], 2).flatten(1, 2)[.., ..(int)length].MoveToOuterDisposeScope();
    }

    /// <summary>The slow, obvious reference: the recurrence one position at a time.</summary>
    [return: Shape("B L D")]
    public static Tensor Sequential(
        [Shape("B L D")] Tensor x, [Shape("B L D")] Tensor delta, [Shape("D N")] Tensor a,
        [Shape("B L N")] Tensor bIn, [Shape("B L N")] Tensor c, [Shape("D")] Tensor d)
    {
        sequentialShapes.Check([x, delta, a, bIn, c, d]);
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
