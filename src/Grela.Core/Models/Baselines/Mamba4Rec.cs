using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>
/// Mamba4Rec (Liu et al., 2024): H0 = LayerNorm(Dropout(E[s])) (no positions: the scan is
/// ordered), then <see cref="Layers"/> <see cref="MambaLayer"/>s. Output [B, L, Dim].
/// </summary>
[Layer]
public sealed partial record Mamba4Rec(
    [Positive] int Items,
    [Positive] int Dim,
    [Positive] int Layers,
    [Positive] int DState,
    [Positive] int DConv,
    [Positive] int Expand,
    [Rate] double Dropout)
{
    [Sub("item_embedding")] public Embedding ItemEmbedding => new(Items, Dim, PaddingIdx: 0);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);
    [Sub("mamba_layers")]
    public LayerList<MambaLayer> Stack => LayerList.Repeat(Layers, _ => new MambaLayer(Dim, DState, DConv, Expand, Dropout, Layers > 1));

    /// <summary>
    /// As the official code: RecBole's N(0, 0.02) on every Linear and Embedding, the Mamba block's
    /// projections included (so dt_proj's bias starts at 0, delta at softplus(0)); the convolution,
    /// A_log and D keep Mamba's initialisation.
    /// </summary>
    [Init]
    public void Init(Module m) => RecBoleInit.Normal(m);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L")] Tensor items)
    {
        var h = m.Norm.forward(m.Drop.forward(m.ItemEmbedding.forward(items)));
        foreach (var layer in m.Stack) h = layer.forward(h);
        return h;
    }
}
