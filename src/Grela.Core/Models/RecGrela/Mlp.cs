using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>Position-wise feed-forward: Linear(D, 4D) -> GELU -> Dropout -> Linear(4D, D) -> Dropout.</summary>
public sealed partial record Mlp(int Dim, double Dropout)
{
    /// <summary>x [..., Dim] -> [..., Dim].</summary>
    public Tensor Forward(Module m, Tensor x) => m.Drop.forward(m.Fc2.forward(m.Drop.forward(gelu(m.Fc1.forward(x)))));
}
