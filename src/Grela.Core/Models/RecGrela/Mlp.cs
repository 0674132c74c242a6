using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>Position-wise feed-forward: Linear(D, 4D) -> GELU -> Dropout -> Linear(4D, D) -> Dropout.</summary>
[Layer]
public sealed partial record Mlp([Positive] int Dim, [Rate] double Dropout)
{
    [Sub("fc1")] public Linear Fc1 => new(Dim, Dim * 4);
    [Sub("fc2")] public Linear Fc2 => new(Dim * 4, Dim);
    [Sub("drop")] public DropoutLayer Drop => new(Dropout);

    /// <summary>x [B, L, Dim] -> [B, L, Dim].</summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Drop.forward(m.Fc2.forward(m.Drop.forward(gelu(m.Fc1.forward(x)))));
}
