namespace Grela.Generators.Tests;

/// <summary>
/// A guarded entry point keeps the default values of the record method it forwards to, for every
/// kind of constant C# allows there, so callers can leave the same arguments out.
/// </summary>
public class EntryPointDefaultsTests
{
    [Fact]
    public void EveryKindOfDefaultIsCopiedAndCanBeLeftOut()
    {
        var text = GeneratorHarness.RunClean(GeneratorHarness.Usings + """
            namespace Demo;

            public enum Pick { First, Last = 3 }

            [Layer]
            public sealed partial record Reader([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Proj.forward(x);

                public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor x, string label = "a \"b\"\n", char mark = '\'', bool flag = true,
                    int count = -2, long big = 1L << 40, float f = 1e-6f, double nan = double.NaN, double inf = double.NegativeInfinity,
                    decimal money = 1.5m, Pick pick = Pick.Last, Pick odd = (Pick)7, ScalarType? dtype = ScalarType.Float64, int? none = null,
                    Device? device = null, Tensor? mask = default)
                    => m.Proj.forward(x);
            }

            public static class Caller
            {
                public static Tensor Read(Reader.Module m, Tensor x) => m.ForwardAt(x);
            }
            """)["Demo.Reader.g.cs"];
        Assert.Contains(
            "ForwardAt(global::TorchSharp.torch.Tensor x, string label = \"a \\\"b\\\"\\n\", char mark = '\\'', bool flag = true, int count = -2, "
            + "long big = 1099511627776L, float f = 1E-06F, double nan = global::System.Double.NaN, double inf = global::System.Double.NegativeInfinity, "
            + "decimal money = 1.5M, global::Demo.Pick pick = global::Demo.Pick.Last, global::Demo.Pick odd = (global::Demo.Pick)(7), "
            + "global::TorchSharp.torch.ScalarType? dtype = global::TorchSharp.torch.ScalarType.Float64, int? none = null, "
            + "global::TorchSharp.torch.Device? device = null, global::TorchSharp.torch.Tensor? mask = null)",
            text);
    }
}
