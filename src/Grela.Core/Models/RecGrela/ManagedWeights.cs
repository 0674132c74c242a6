using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>A Linear's weights as float32 arrays: y = W x + b, W [Out, In] row-major.</summary>
internal sealed record DenseWeights(float[] Weight, float[] Bias, int In, int Out)
{
    public static DenseWeights Of(TorchSharp.Modules.Linear linear)
    {
        var weight = linear.weight!;
        var (outputs, inputs) = ((int)weight.shape[0], (int)weight.shape[1]);
        return new(ManagedWeights.Floats(weight), linear.bias is { } bias ? ManagedWeights.Floats(bias) : new float[outputs], inputs, outputs);
    }
}

/// <summary>A LayerNorm's scale, shift and epsilon.</summary>
internal sealed record NormWeights(float[] Weight, float[] Bias, double Eps)
{
    public static NormWeights Of(TorchSharp.Modules.LayerNorm norm, Grela.Layers.LayerNorm spec) =>
        new(ManagedWeights.Floats(norm.weight!), ManagedWeights.Floats(norm.bias!), spec.Eps);
}

/// <summary>
/// One GRELA block's weights for the managed step: the norms, projections, kernel features, the
/// depthwise conv (weight [Dim, K] row-major), the MLP and the registers' prior state (S0 [H, d, d]
/// and z0 [H, d] flattened; null without registers).
/// </summary>
internal sealed record BlockWeights(
    NormWeights Norm1, DenseWeights ActProj, DenseWeights InProj, DenseWeights Qk, float[] ConvWeight, float[] ConvBias,
    DenseWeights OutProj, NormWeights Norm2, DenseWeights Fc1, DenseWeights Fc2,
    float[]? PriorS, float[]? PriorZ, int Registers, bool Residual)
{
    public static BlockWeights Of(GrelaBlock.Module block)
    {
        var attn = block.Attn;
        var prior = attn.PriorOf(ScalarType.Float32);
        return new(
            NormWeights.Of(block.Norm1, block.Spec.Norm1), DenseWeights.Of(block.ActProj), DenseWeights.Of(block.InProj), DenseWeights.Of(attn.Qk),
            ManagedWeights.Floats(attn.Conv1d.weight), ManagedWeights.Floats(attn.Conv1d.bias),
            DenseWeights.Of(block.OutProj), NormWeights.Of(block.Norm2, block.Spec.Norm2), DenseWeights.Of(block.Mlp.Fc1), DenseWeights.Of(block.Mlp.Fc2),
            prior is null ? null : ManagedWeights.Floats(prior.S), prior is null ? null : ManagedWeights.Floats(prior.Z),
            attn.Spec.Registers, block.Spec.Residual);
    }
}

/// <summary>Copies of a module's tensors as float32 arrays.</summary>
internal static class ManagedWeights
{
    /// <summary>
    /// The values of t, flattened, as float32. Call under a dispose scope: reading a module's weight
    /// property hands out a new tensor handle, and the copies made here are tensors too.
    /// </summary>
    public static float[] Floats(Tensor t) => t.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
}
