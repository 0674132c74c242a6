using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>One RecBole Transformer layer: self-attention sublayer, then feed-forward sublayer.</summary>
[Layer]
public sealed partial record TransformerLayer(
    [Positive] int Dim,
    [Positive, Divides(nameof(Dim))] int Heads,
    [Positive] int Inner,
    [Rate] double Dropout,
    AttentionKind Kind)
{
    [Sub("multi_head_attention")] public MultiHeadAttention Attention => new(Dim, Heads, Dropout, Kind);
    [Sub("feed_forward")] public PointwiseFeedForward FeedForward => new(Dim, Inner, Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B L")] Tensor valid)
        => m.FeedForward.forward(m.Attention.forward(x, valid));
}

/// <summary>A stack of <see cref="Layers"/> <see cref="TransformerLayer"/>s (RecBole's TransformerEncoder).</summary>
[Layer]
public sealed partial record TransformerEncoder(
    [Positive] int Dim,
    [Positive, Divides(nameof(Dim))] int Heads,
    [Positive] int Inner,
    [Positive] int Layers,
    [Rate] double Dropout,
    AttentionKind Kind)
{
    [Sub("layer")] public LayerList<TransformerLayer> Stack => LayerList.Repeat(Layers, _ => new TransformerLayer(Dim, Heads, Inner, Dropout, Kind));

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B L")] Tensor valid)
    {
        foreach (var layer in m.Stack) x = layer.forward(x, valid);
        return x;
    }
}
