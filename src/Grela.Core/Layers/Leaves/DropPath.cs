using static TorchSharp.torch;

namespace Grela.Layers;

/// <summary>
/// Stochastic depth: in training, zeroes a whole sample's branch with probability <see cref="Rate"/>
/// and scales survivors by 1/(1-Rate); identity in eval mode or when Rate is 0. With
/// <see cref="PerPosition"/> each position of a sequence [B, L, ...] draws on its own: in causal
/// training every position is a target, and one draw per sequence removes the branch for all of
/// them at once, where the official prefix samples each draw their own.
/// </summary>
[Leaf(Input = "B ...", Output = "B ...")]
public sealed partial record DropPath([Rate] double Rate, bool PerPosition = false) : ILeaf<DropPathModule>
{
    /// <inheritdoc/>
    public DropPathModule Create(string path) => new(Rate, PerPosition);
}

/// <summary>The module of <see cref="DropPath"/> (no parameters).</summary>
public sealed class DropPathModule(double rate, bool perPosition = false) : nn.Module<Tensor, Tensor>("DropPath")
{
    /// <summary>x [B, ...] -> same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        if (!training || rate == 0) return x.alias();
        using var scope = NewDisposeScope();
        var keep = 1 - rate;
        var maskShape = new long[x.dim()];
        var drawn = perPosition ? Math.Min(2, maskShape.Length) : 1;
        for (var i = 0; i < maskShape.Length; i++) maskShape[i] = i < drawn ? x.shape[i] : 1;
        var mask = empty(maskShape, x.dtype, x.device).bernoulli_(keep);
        return (x * mask / keep).MoveToOuterDisposeScope();
    }
}
