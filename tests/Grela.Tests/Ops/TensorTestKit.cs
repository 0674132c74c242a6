using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Ops;

/// <summary>Small helpers for the float64 property tests: seeded tensors, array views, closeness.</summary>
public static class TensorTestKit
{
    public static Generator Rng(int seed) => new Generator((ulong)(uint)seed);

    public static Tensor Normal(Generator g, params long[] shape) => torch.randn(shape, ScalarType.Float64, generator: g);

    /// <summary>Strictly positive features like ELU + 1 produces.</summary>
    public static Tensor Positive(Generator g, params long[] shape) => nn.functional.elu(Normal(g, shape), 1.0, false) + 1;

    public static double[][] Rows(Tensor matrix)
    {
        using var c = matrix.to_type(ScalarType.Float64).contiguous();
        var flat = c.data<double>().ToArray();
        var cols = (int)c.shape[1];
        return Enumerable.Range(0, (int)c.shape[0]).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }

    public static double[] Vector(Tensor vector)
    {
        using var c = vector.to_type(ScalarType.Float64).contiguous();
        return c.data<double>().ToArray();
    }

    public static void Close(double[][] expected, Tensor actual, double tolerance = 1e-9, string what = "")
    {
        var got = Rows(actual);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Assert.True(Math.Abs(expected[i][j] - got[i][j]) <= tolerance * (1 + Math.Abs(expected[i][j])),
                    $"{what}[{i},{j}]: expected {expected[i][j]}, got {got[i][j]}");
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-9, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected - actual).abs();
        using var bound = expected.abs() * tolerance + tolerance;
        using var bad = diff.gt(bound).any();
        if (bad.item<bool>())
            Assert.Fail($"{what}: max abs difference {diff.max().item<double>()} exceeds tolerance {tolerance} (shape [{string.Join(", ", expected.shape)}])");
    }

    /// <summary>Bit-for-bit equal shapes and values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var all = a.eq(b).all();
        return all.item<bool>();
    }

    public static double MaxRelativeError(Tensor expected, Tensor actual)
    {
        using var e = expected.to_type(ScalarType.Float64);
        using var a = actual.to_type(ScalarType.Float64);
        using var diff = (e - a).abs().max();
        using var scale = e.abs().max();
        return diff.item<double>() / Math.Max(scale.item<double>(), 1e-30);
    }
}
