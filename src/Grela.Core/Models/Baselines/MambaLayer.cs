using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.Baselines;

/// <summary>
/// Mamba4Rec's feed-forward sublayer:
/// out = LayerNorm(Dropout(Dropout(GELU(x W_1 + b_1)) W_2 + b_2) + x), inner width 4 Dim.
/// </summary>
[Layer]
public sealed partial record MambaFeedForward([Positive] int Dim, [Rate] double Dropout)
{
    [Sub("w_1")] public Linear W1 => new(Dim, Dim * 4);
    [Sub("w_2")] public Linear W2 => new(Dim * 4, Dim);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
        => m.Norm.forward(m.Drop.forward(m.W2.forward(m.Drop.forward(gelu(m.W1.forward(x))))) + x);
}

/// <summary>
/// One Mamba4Rec layer: h = LayerNorm(Dropout(Mamba(x)) + x), then the feed-forward sublayer. As
/// in the official code, a model with a single layer drops the residual (<see cref="Residual"/> false).
/// </summary>
[Layer]
public sealed partial record MambaLayer(
    [Positive] int Dim,
    [Positive] int DState,
    [Positive] int DConv,
    [Positive] int Expand,
    [Rate] double Dropout,
    bool Residual)
{
    [Sub("mamba")] public Mamba Mixer => new(Dim, DState, DConv, Expand);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("ffn")] public MambaFeedForward FeedForward => new(Dim, Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
    {
        var mixed = m.Drop.forward(m.Mixer.forward(x));
        return m.FeedForward.forward(m.Norm.forward(Residual ? mixed + x : mixed));
    }
}
