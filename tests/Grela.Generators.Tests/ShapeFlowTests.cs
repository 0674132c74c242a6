namespace Grela.Generators.Tests;

/// <summary>How far the compile-time analysis follows tensors, and where it stays silent (gradual).</summary>
public class ShapeFlowTests
{
    private static List<string> Errors(string body) =>
        GeneratorHarness.Diagnostics(GeneratorHarness.Usings + "namespace Demo;\n\n" + body)
            .Select(d => d.Id + "@" + (d.Location.GetLineSpan().StartLinePosition.Line + 1))
            .Order()
            .ToList();

    private const string Inner = """
        [Layer]
        public sealed partial record Inner([Positive] int Dim)
        {
            [Sub("proj")] public Linear Proj => new(Dim, Dim);

            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Proj.forward(x);
        }

        """;

    [Fact]
    public void CompositeSublayerArgumentsAreSubstituted()
    {
        // Inner is built with Dim*2 but receives Dim: reported on the construction argument (line 16) and the call (line 19).
        var errors = Errors(Inner + """
            [Layer]
            public sealed partial record Outer([Positive] int Dim)
            {
                [Sub("inner")] public Inner In => new(Dim * 2);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.In.forward(x);
            }
            """);
        Assert.Equal(["GRELA001@19", "GRELA001@22"], errors);
    }

    [Fact]
    public void LayerListItemsAreCheckedInForeachAndByIndex()
    {
        var errors = Errors(Inner + """
            [Layer]
            public sealed partial record Stack([Positive] int Dim, [Positive] int Depth)
            {
                [Sub("up")] public Linear Up => new(Dim, Dim * 2);
                [Sub("blocks")] public LayerList<Inner> Blocks => LayerList.Repeat(Depth, _ => new Inner(Dim));

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                {
                    var h = m.Up.forward(x);
                    foreach (var block in m.Blocks) h = block.forward(h);
                    return m.Blocks[0].forward(h);
                }
            }
            """);
        Assert.Equal(["GRELA001@19", "GRELA001@20"], errors);
    }

    [Fact]
    public void HelperParametersWithAShapeAreCompositionSteps()
    {
        // The helper reshapes its argument (unknown afterwards), but its [Shape] still checks what it
        // receives: the widened projection is reported on its construction argument (line 10) and the call (line 14).
        var errors = Errors("""
            [Layer]
            public sealed partial record Heads([Positive] int Dim, [Positive] int H)
            {
                [Sub("query")] public Linear Query => new(Dim, Dim * 2);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                    => Split(m.Query.forward(x));

                private Tensor Split([Shape("B L Dim")] Tensor t) => t.view(t.shape[0], t.shape[1], H, Dim / H);
            }
            """);
        Assert.Equal(["GRELA001@10", "GRELA001@14"], errors);
    }

    [Fact]
    public void CorrectCompositionsAreSilent()
    {
        var errors = Errors(Inner + """
            [Layer]
            public sealed partial record Fine([Positive] int Dim, [Positive] int Depth, [Rate] double Drop, bool Residual)
            {
                [Sub("blocks")] public LayerList<Inner> Blocks => LayerList.Repeat(Depth, _ => new Inner(Dim));
                [Sub("up")] public Linear Up => new(Dim, 2 * Dim);
                [Sub("down")] public Linear Down => new(Dim + Dim, Dim);
                [Sub("drop_path")] public DropPath Path_ => new(Drop);
                [Sub("embed")] public Embedding Embed => new(10, Dim);

                [Forward]
                [return: Shape("B L Dim")]
                public Tensor Forward(Module m, [Shape("B L")] Tensor items)
                {
                    var h = m.Embed.forward(items);
                    foreach (var block in m.Blocks) h = h + m.Path_.forward(block.forward(h));
                    var y = Residual ? h : m.Down.forward(silu(m.Up.forward(h)));
                    var (a, b) = (y, h * 0.5);
                    return a * sigmoid(b) + 1;
                }
            }
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void WhatIsNotUnderstoodIsNotChecked()
    {
        // view/transpose and calls into other classes make the shape unknown: no error, the runtime guard decides.
        var errors = Errors("""
            public static class Ops { public static Tensor Mix(Tensor x) => x; }

            [Layer]
            public sealed partial record Gradual([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim * 3, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                {
                    var a = m.Proj.forward(x.view(-1, 1, Dim * 3));
                    var b = m.Proj.forward(Ops.Mix(x));
                    return a + b;
                }
            }
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void BranchesThatDisagreeBecomeUnknown()
    {
        var errors = Errors("""
            [Layer]
            public sealed partial record Branchy([Positive] int Dim, bool Wide)
            {
                [Sub("wide")] public Linear WideProj => new(Dim, Dim * 2);
                [Sub("back")] public Linear Back => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x)
                {
                    var h = x;
                    if (Wide) h = m.WideProj.forward(x);
                    return m.Back.forward(h);
                }
            }
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void RankMismatchIsReported()
    {
        var errors = Errors("""
            [Layer]
            public sealed partial record Ranks([Positive] int Dim)
            {
                [Sub("conv")] public CausalDepthwiseConv1d Conv => new(Dim, 4);

                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Conv.forward(x);
            }
            """);
        Assert.Equal(["GRELA001@13"], errors);
    }
}
