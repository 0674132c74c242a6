using static TorchSharp.torch;

namespace Grela.Layers;

/// <summary>
/// Stochastic depth: in training, zeroes a whole sample's branch with probability <see cref="Rate"/>
/// and scales survivors by 1/(1-Rate); identity in eval mode or when Rate is 0.
/// </summary>
[Leaf(Input = "B ...", Output = "B ...")]
public sealed partial record DropPath([Rate] double Rate) : ILeaf<DropPathModule>
{
    /// <inheritdoc/>
    public DropPathModule Create(string path) => new(Rate);
}

/// <summary>The module of <see cref="DropPath"/> (no parameters).</summary>
public sealed class DropPathModule(double rate) : nn.Module<Tensor, Tensor>("DropPath")
{
    /// <summary>x [B, ...] -> same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        if (!training || rate == 0) return x.alias();
        using var scope = NewDisposeScope();
        var keep = 1 - rate;
        var maskShape = new long[x.dim()];
        maskShape[0] = x.shape[0];
        for (var i = 1; i < maskShape.Length; i++) maskShape[i] = 1;
        var mask = empty(maskShape, x.dtype, x.device).bernoulli_(keep);
        return (x * mask / keep).MoveToOuterDisposeScope();
    }
}
