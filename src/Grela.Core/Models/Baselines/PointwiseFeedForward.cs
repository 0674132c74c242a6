using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.Baselines;

/// <summary>
/// RecBole's post-norm feed-forward sublayer (SASRec, LinRec):
/// out = LayerNorm(Dropout(GELU(x W_1 + b_1) W_2 + b_2) + x).
/// </summary>
[Layer]
public sealed partial record PointwiseFeedForward([Positive] int Dim, [Positive] int Inner, [Rate] double Dropout)
{
    [Sub("dense_1")] public Linear Dense1 => new(Dim, Inner);
    [Sub("dense_2")] public Linear Dense2 => new(Inner, Dim);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
        => m.Norm.forward(m.Drop.forward(m.Dense2.forward(gelu(m.Dense1.forward(x)))) + x);
}
