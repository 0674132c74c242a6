using TorchSharp;

namespace Grela.Layers;

/// <summary>Affine map <c>x W^T + b</c> over the last dim (PyTorch <c>nn.Linear</c>: weight [Out, In], bias [Out]).</summary>
[Leaf(Input = "... In", Output = "... Out", Parameters = ["weight: Out In", "bias: Out"])]
public sealed partial record Linear([Positive] int In, [Positive] int Out, bool Bias = true) : ILeaf<TorchSharp.Modules.Linear>
{
    /// <inheritdoc/>
    public TorchSharp.Modules.Linear Create(string path) => torch.nn.Linear(In, Out, Bias);
}
