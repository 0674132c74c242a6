using TorchSharp;

namespace Grela.Layers;

/// <summary>
/// Gated recurrent unit over batch-first sequences: [B, L, In] -> ([B, L, Hidden], h_n).
/// Parameters are named as in PyTorch (<c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c>,
/// <c>bias_hh_l0</c>, ...). In <c>Forward</c>, <c>m.Gru.forward(x).Item1</c> is the output sequence.
/// </summary>
[Leaf(Input = "B L In", Output = "B L Hidden", State = "Layers B Hidden")]
public sealed partial record Gru([Positive] int In, [Positive] int Hidden, [Positive] int Layers = 1) : ILeaf<TorchSharp.Modules.GRU>
{
    /// <inheritdoc/>
    public TorchSharp.Modules.GRU Create(string path) => torch.nn.GRU(In, Hidden, Layers, batchFirst: true);
}
