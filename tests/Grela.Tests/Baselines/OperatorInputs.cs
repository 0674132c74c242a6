using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Baselines;

/// <summary>Random float64 operator inputs of small sizes, reproducible from a seed.</summary>
internal static class OperatorInputs
{
    /// <summary>Size in [1, max] drawn from an arbitrary int.</summary>
    public static int Size(int raw, int max) => (int)((uint)raw % (uint)max) + 1;

    /// <summary>[rows, length] bool, true on a random-length real prefix of each row (right padding).</summary>
    public static Tensor RightPaddedValid(Generator g, long rows, long length)
    {
        var lengths = randint(0, length + 1, [rows, 1], generator: g);
        return arange(length).unsqueeze(0) < lengths;
    }

    /// <summary>Standard normal float64 tensor.</summary>
    public static Tensor Normal(Generator g, params long[] shape) => randn(shape, dtype: ScalarType.Float64, generator: g);

    /// <summary>Largest absolute difference.</summary>
    public static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().to(ScalarType.Float64).item<double>();
}
