using TorchSharp;

namespace Grela.Layers;

/// <summary>Layer normalisation over the last dim (weight and bias of size Dim; eps 1e-12 as in RecBole).</summary>
[Leaf(Input = "... Dim", Output = "... Dim", Parameters = ["weight: Dim", "bias: Dim"])]
public sealed partial record LayerNorm([Positive] int Dim, [Positive] double Eps = 1e-12) : ILeaf<TorchSharp.Modules.LayerNorm>
{
    /// <inheritdoc/>
    public TorchSharp.Modules.LayerNorm Create(string path) => torch.nn.LayerNorm([Dim], Eps);
}
