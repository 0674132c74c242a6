using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>
/// SASRec (Kang and McAuley, 2018, as in RecBole) and, with <see cref="AttentionKind.LinRec"/>, LinRec
/// (Liu et al., 2023): H0 = Dropout(LayerNorm(E[s] + P)), learned positions P counted from the left
/// of a right-padded window, then <see cref="Layers"/> post-norm Transformer layers. Output: the
/// hidden state at every position, [B, L, Dim].
/// </summary>
[Layer]
public sealed partial record TransformerRecommender(
    [Positive] int Items,
    [Positive] int MaxLength,
    [Positive] int Dim,
    [Positive, Divides(nameof(Dim))] int Heads,
    [Positive] int Inner,
    [Positive] int Layers,
    [Rate] double Dropout,
    AttentionKind Kind)
{
    [Sub("item_embedding")] public Embedding ItemEmbedding => new(Items, Dim, PaddingIdx: 0);
    [Sub("position_embedding")] public Embedding PositionEmbedding => new(MaxLength, Dim);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);
    [Sub("trm_encoder")] public TransformerEncoder Encoder => new(Dim, Heads, Inner, Layers, Dropout, Kind);

    [Init]
    public void Init(Module m) => RecBoleInit.Normal(m);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L")] Tensor items)
    {
        var length = items.shape[1];
        if (length > MaxLength)
            throw new ArgumentException($"{m.DisplayPath}: window length {length} exceeds the {MaxLength} learned positions", nameof(items));
        var positions = m.PositionEmbedding.forward(arange(length, device: items.device));
        var h = m.Drop.forward(m.Norm.forward(m.ItemEmbedding.forward(items) + positions));
        return m.Encoder.forward(h, items.ne(0));
    }
}
