namespace Grela.Generators.Tests;

/// <summary>
/// The module forwards every public record method that takes it first (<c>m.Attn.Features(u)</c> for
/// <c>m.Attn.Spec.Features(m.Attn, u)</c>); the edge cases it leaves out stay callable through Spec.
/// </summary>
public class ForwardingTests
{
    private const string Layer = """
        namespace Demo;

        [Layer]
        public sealed partial record Scaler([Positive] int Dim)
        {
            [Sub("proj")] public Linear Proj => new(Dim, Dim);

            [Forward]
            public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => Scale(m, x);

            public Tensor Scale(Module m, Tensor x, double by = 2.0, Tensor? bias = null) => m.Proj.forward(x) * by + (bias ?? zeros(1));
            public (Tensor Out, int Width) Both(Module m, Tensor x) => (x, Dim);
            public void Reset(Module m) { }
            public int Width(Module m) => Dim;

            public T Generic<T>(Module m, T value) => value;
            public Tensor Overloaded(Module m, Tensor x) => x;
            public Tensor Overloaded(Module m, Tensor x, Tensor y) => x + y;
            public void Out(Module m, out int width) => width = Dim;
            public Tensor Many(Module m, params Tensor[] xs) => xs[0];
            internal Tensor Hidden(Module m, Tensor x) => x;
            public static Tensor Static(Module m, Tensor x) => x;
            public Tensor OtherModule(Other.Module o, Tensor x) => o.forward(x);
        }

        [Layer]
        public sealed partial record Other([Positive] int Dim)
        {
            [Sub("proj")] public Linear Proj => new(Dim, Dim);

            [Forward]
            public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Proj.forward(x);
        }
        """;

    [Fact]
    public void EveryPublicMethodTakingTheModuleFirstIsForwardedWithItsDefaults()
    {
        var text = GeneratorHarness.RunClean(GeneratorHarness.Usings + Layer + """

            public static class Caller
            {
                public static Tensor Use(Scaler.Module m, Tensor x)
                {
                    m.Reset();
                    var (_, width) = m.Both(x);
                    return m.Scale(x) + m.Scale(x, by: width, bias: x) + m.Width();
                }
            }
            """)["Demo.Scaler.g.cs"];
        Assert.Contains("public global::TorchSharp.torch.Tensor Scale(global::TorchSharp.torch.Tensor x, double by = 2D, global::TorchSharp.torch.Tensor? bias = null)", text);
        Assert.Contains("return Spec.Scale(this, x, by, bias);", text);
        Assert.Contains("public void Reset()", text);
        Assert.Contains("Spec.Reset(this);", text);
        Assert.DoesNotContain("return Spec.Reset", text);
    }

    [Theory]
    [InlineData("Generic")]
    [InlineData("Overloaded")]
    [InlineData("Out")]
    [InlineData("Many")]
    [InlineData("Hidden")]
    [InlineData("Static")]
    [InlineData("OtherModule")]
    public void EdgeCasesAreLeftToSpec(string method)
    {
        var text = GeneratorHarness.RunClean(GeneratorHarness.Usings + Layer)["Demo.Scaler.g.cs"];
        Assert.DoesNotContain(" " + method + "(", text);
    }

    [Fact]
    public void AParentCallsAStateOnlySublayersMethodsThroughItsModule()
    {
        var table = GeneratorHarness.RunClean(GeneratorHarness.Usings + """
            namespace Demo;

            [Layer]
            public sealed partial record Table([Positive] int Rows, [Positive] int Dim)
            {
                [Buffer("rotations")] public Tensor Rotations() => ones(Rows, Dim);

                [return: Shape("length Dim")]
                public Tensor Head(Module m, long length) => m.Rotations.narrow(0, 0, length);
            }

            [Layer]
            public sealed partial record Reader([Positive] int Rows, [Positive] int Dim)
            {
                [Sub("table")] public Table Table => new(Rows, Dim);

                [Forward]
                [return: Shape("B L Dim")]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x * m.Table.Head(x.shape[1]);
            }
            """)["Demo.Table.g.cs"];
        Assert.Contains("public sealed partial class Module : global::TorchSharp.torch.nn.Module\n", table);
        Assert.Contains("register_buffer(\"rotations\", Rotations, true);", table);
        Assert.DoesNotContain("forward", table);
    }
}
