using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grela.Models.RecGrela;

/// <summary>
/// The few float32 vector kernels of a one-user streaming step, in plain C#: at width 64 each is a
/// few hundred multiply-adds, far below what a libtorch dispatch costs, so managed loops win.
/// </summary>
internal static class ManagedKernels
{
    /// <summary>
    /// Compiled optimised at once: tiered JIT would run the first ~30 calls of each loop unoptimised
    /// (several times slower with Vector&lt;float&gt;), i.e. a server's first requests.
    /// </summary>
    public const MethodImplOptions Hot = MethodImplOptions.AggressiveOptimization;

    /// <summary>a . b.</summary>
    [MethodImpl(Hot)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int i = 0, width = Vector<float>.Count;
        for (; i <= a.Length - width; i += width)
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>y += alpha x.</summary>
    [MethodImpl(Hot)]
    public static void AddScaled(Span<float> y, float alpha, ReadOnlySpan<float> x)
    {
        int i = 0, width = Vector<float>.Count;
        var a = new Vector<float>(alpha);
        for (; i <= y.Length - width; i += width)
            (new Vector<float>(y[i..]) + a * new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>y = W x + b, as PyTorch's Linear (W [Out, In] row-major).</summary>
    [MethodImpl(Hot)]
    public static void Affine(DenseWeights layer, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int o = 0; o < layer.Out; o++)
            y[o] = Dot(layer.Weight.AsSpan(o * layer.In, layer.In), x) + layer.Bias[o];
    }

    /// <summary>y = (x - mean) / sqrt(var + eps) * w + b over the whole vector (biased variance, as torch).</summary>
    [MethodImpl(Hot)]
    public static void LayerNorm(NormWeights norm, ReadOnlySpan<float> x, Span<float> y)
    {
        double mean = 0, square = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        foreach (var v in x) square += (v - mean) * (v - mean);
        var scale = 1.0 / Math.Sqrt(square / x.Length + norm.Eps);
        for (int i = 0; i < x.Length; i++)
            y[i] = (float)((x[i] - mean) * scale) * norm.Weight[i] + norm.Bias[i];
    }

    /// <summary>x = x sigmoid(x), in place.</summary>
    public static void Silu(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = Silu(x[i]);
    }

    public static float Silu(float x) => x / (1f + MathF.Exp(-x));

    /// <summary>x = ELU(x) + 1, in place: the positive kernel features.</summary>
    public static void EluPlusOne(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = x[i] > 0 ? x[i] + 1f : MathF.Exp(x[i]);
    }

    /// <summary>The exact GELU x/2 (1 + erf(x/sqrt 2)) in place, as <see cref="Mlp.ExactGelu"/>.</summary>
    [MethodImpl(Hot)]
    public static void Gelu(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.5 * x[i] * Erfc(-x[i] * 0.7071067811865476));
    }

    /// <summary>
    /// erfc(x) with fractional error below 1.2e-7 everywhere (a Chebyshev fit of exp(x^2) erfc(x),
    /// Numerical Recipes' erfcc): float precision, and relative, so GELU's small negative tail is
    /// exact to float too. .NET has no erf.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>
    /// RoPE of x by the unit complex numbers (cos, sin): each pair (a, b) becomes (a c - b s, b c + a s),
    /// as <see cref="Ops.Rope.ApplyComplex"/>.
    /// </summary>
    public static void Rotate(ReadOnlySpan<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, Span<float> y)
    {
        for (int i = 0; i < cos.Length; i++)
        {
            float a = x[2 * i], b = x[2 * i + 1];
            y[2 * i] = a * cos[i] - b * sin[i];
            y[2 * i + 1] = b * cos[i] + a * sin[i];
        }
    }
}
