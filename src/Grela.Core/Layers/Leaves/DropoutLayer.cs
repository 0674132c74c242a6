using TorchSharp;

namespace Grela.Layers;

/// <summary>Element-wise dropout with probability <see cref="Rate"/> (identity in eval mode).</summary>
[Leaf(Input = "...", Output = "...")]
public sealed partial record DropoutLayer([Rate] double Rate) : ILeaf<TorchSharp.Modules.Dropout>
{
    /// <inheritdoc/>
    public TorchSharp.Modules.Dropout Create(string path) => torch.nn.Dropout(Rate);
}
