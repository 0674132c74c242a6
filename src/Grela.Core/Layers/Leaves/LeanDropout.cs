using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Layers;

/// <summary>
/// Element-wise dropout with probability <see cref="Rate"/> (identity in eval mode), the same
/// computation as <see cref="DropoutLayer"/> made cheaper on the CPU: the mask comes from
/// <see cref="Ops.DropoutMask"/> (torch's dropout draws a double per element through bernoulli_, a
/// serial kernel that was ~10% of a RecGRELA training step), and autograd keeps a one-byte mask
/// instead of a float noise tensor. On other devices the mask is one uniform float per element.
/// </summary>
[Leaf(Input = "...", Output = "...")]
public sealed partial record LeanDropout([Rate] double Rate) : ILeaf<LeanDropoutModule>
{
    /// <inheritdoc/>
    public LeanDropoutModule Create(string path) => new(Rate);
}

/// <summary>The module of <see cref="LeanDropout"/> (no parameters).</summary>
public sealed class LeanDropoutModule(double rate) : nn.Module<Tensor, Tensor>("LeanDropout")
{
    /// <summary>x -> x with each element zeroed with probability rate and survivors scaled by 1/(1-rate).</summary>
    public override Tensor forward(Tensor x)
    {
        if (!training || rate == 0) return x.alias();
        using var scope = NewDisposeScope();
        var keep = 1 - rate;
        using var dropped = Ops.DropoutMask.Dropped(x.shape, rate, x.device, x.dtype);
        return x.masked_fill(dropped, 0).mul_(1 / keep).MoveToOuterDisposeScope();
    }
}
