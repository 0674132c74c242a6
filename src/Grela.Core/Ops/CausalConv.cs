using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Ops;

/// <summary>
/// Causal depthwise convolution over time in the [B, L, D] layout: output t sees inputs t-K+1..t
/// (zeros before the start), weight [D, 1, K] and bias [D] as PyTorch's Conv1d with groups = D,
/// i.e. out_t = bias + sum_j w[:, 0, j] * x_{t-K+1+j}. Written as K shifted multiply-adds so no
/// transpose to [B, D, L] is needed.
/// </summary>
public static class CausalConv
{
    private static readonly FunctionShapes forwardShapes = FunctionShapes.Of(typeof(CausalConv), nameof(Forward));

    /// <summary>x [B, L, D] -> [B, L, D].</summary>
    [return: Shape("B L D")]
    public static Tensor Forward([Shape("B L D")] Tensor x, [Shape("D 1 K")] Tensor weight, [Shape("D")] Tensor bias)
    {
        forwardShapes.Check([x, weight, bias]);
        using var scope = torch.NewDisposeScope();
        var k = weight.shape[^1];
        var length = x.shape[^2];
        var padded = nn.functional.pad(x, [0, 0, k - 1, 0]);
        var w = weight.reshape(weight.shape[0], k).t();           // [K, D]
        var y = padded.narrow(-2, 0, length) * w[0];
        for (long j = 1; j < k; j++)
            y = y.addcmul_(padded.narrow(-2, j, length), w[j], 1);
        return y.add_(bias).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One step: tail [B, K-1, D] (previous inputs, oldest first) and x [B, D] -> (y [B, D], new tail).
    /// </summary>
    public static (Tensor Output, Tensor Tail) Step(Tensor tail, Tensor x, Tensor weight, Tensor bias)
    {
        using var scope = torch.NewDisposeScope();
        var k = weight.shape[^1];
        var window = torch.cat([tail, x.unsqueeze(-2)], -2);     // [B, K, D]
        var w = weight.reshape(weight.shape[0], k).t();           // [K, D]
        var y = (window * w).sum(-2) + bias;
        var next = window.narrow(-2, 1, k - 1).contiguous();
        return (y.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope());
    }
}
