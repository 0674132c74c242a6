using TorchSharp;

namespace Grela.Layers;

/// <summary>
/// Lookup table of <see cref="Count"/> vectors of width <see cref="Dim"/> (weight [Count, Dim]).
/// Input: integer ids of any shape; output: the same shape plus Dim. The row
/// <see cref="PaddingIdx"/>, if given, gets no gradient.
/// </summary>
[Leaf(Input = "...", Output = "... Dim", Parameters = ["weight: Count Dim"])]
public sealed partial record Embedding([Positive] int Count, [Positive] int Dim, int? PaddingIdx = null) : ILeaf<TorchSharp.Modules.Embedding>
{
    /// <inheritdoc/>
    public TorchSharp.Modules.Embedding Create(string path) => torch.nn.Embedding(Count, Dim, padding_idx: PaddingIdx);
}
