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
    [Sub("drop")] public LeanDropout Drop => new(Dropout);

    /// <summary>x [B, L, Dim] -> [B, L, Dim].</summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Drop.forward(m.Fc2.forward(m.Drop.forward(gelu(m.Fc1.forward(x)))));

    /// <summary>
    /// <see cref="Forward"/> for the few rows of a streaming step, with the exact GELU written out
    /// as x/2 (1 + erf(x/sqrt 2)). Same values; the reason is latency: torch's gelu sends contiguous
    /// float32 input to oneDNN, which opens an OpenMP parallel region however small the tensor, and
    /// on a busy machine each region waits for a descheduled worker thread (milliseconds per block).
    /// The written-out form runs element-wise kernels that stay on the calling thread below their
    /// grain size. Not meant for training: autograd would keep more intermediates than gelu's.
    /// </summary>
    [return: Shape("... Dim")]
    public Tensor ForwardFew(Module m, [Shape("... Dim")] Tensor x) => m.Drop.forward(m.Fc2.forward(m.Drop.forward(ExactGelu(m.Fc1.forward(x)))));

    /// <summary>GELU(x) = x/2 (1 + erf(x/sqrt 2)) from element-wise kernels (see <see cref="ForwardFew"/>).</summary>
    public static Tensor ExactGelu(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        return x.mul(Math.Sqrt(0.5)).erf_().add_(1).mul_(x).mul_(0.5).MoveToOuterDisposeScope();
    }
}
