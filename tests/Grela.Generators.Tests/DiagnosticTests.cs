using Microsoft.CodeAnalysis;

namespace Grela.Generators.Tests;

/// <summary>One test per diagnostic ID: its location (1-based line and column) and its message.</summary>
public class DiagnosticTests
{
    private static List<(string Id, int Line, int Column, string Message)> Diagnose(string body)
    {
        var diagnostics = GeneratorHarness.Diagnostics(GeneratorHarness.Usings + "namespace Demo;\n\n" + body);
        return diagnostics
            .Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Location.GetLineSpan().StartLinePosition.Character + 1, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(d => d.Item2).ThenBy(d => d.Item3)
            .ToList();
    }

    // Line numbers below count from the top of the compiled text: 4 lines of usings, the namespace
    // line and a blank line come first, so the body's first line is line 7.

    [Fact]
    public void GRELA001_WidenedLinearIsReportedAtBothDeclarations()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Mlp([Positive] int Dim)
            {
                [Sub("fc1")] public Linear Fc1 => new(Dim, Dim * 2);
                [Sub("fc2")] public Linear Fc2 => new(Dim * 4, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Fc2.forward(gelu(m.Fc1.forward(x)));
            }
            """);
        const string message = "'fc2' (Linear) input expects [..., Dim*4], got [B, L, Dim*2]: dim Dim*2 ('fc1' Linear.Out, line 10) != Dim*4 ('fc2' Linear.In, line 11) [composed at line 14]";
        Assert.Equal(
            [("GRELA001", 10, 48, message), ("GRELA001", 11, 43, message)],
            d);
    }

    [Fact]
    public void GRELA001_MismatchWithOwnShapeIsReportedAtTheCallAndTheSublayer()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Head([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim * 2, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Proj.forward(x);
            }
            """);
        Assert.Equal(
            [
                ("GRELA001", 10, 45, "'proj' (Linear) input expects [..., Dim*2], got [B, Dim]: dim Dim ([Shape] of 'x', line 13) != Dim*2 ('proj' Linear.In, line 10) [composed at line 13]"),
                ("GRELA001", 13, 82, "'proj' (Linear) input expects [..., Dim*2], got [B, Dim]: dim Dim ([Shape] of 'x', line 13) != Dim*2 ('proj' Linear.In, line 10)"),
            ],
            d);
    }

    [Fact]
    public void GRELA002_ResidualOfWrongWidth()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Residual([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim * 2);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                {
                    var y = m.Proj.forward(x);
                    return x + y;
                }
            }
            """);
        Assert.Equal(
            [
                ("GRELA002", 10, 50, "element-wise operands [B, L, Dim] and [B, L, Dim*2] do not broadcast: dim Dim ([Shape] of 'x', line 13) != Dim*2 ('proj' Linear.Out, line 10) [composed at line 16]"),
                ("GRELA002", 16, 16, "element-wise operands [B, L, Dim] and [B, L, Dim*2] do not broadcast: dim Dim ([Shape] of 'x', line 13) != Dim*2 ('proj' Linear.Out, line 10)"),
            ],
            d);
    }

    [Fact]
    public void GRELA003_ReturnDiffersFromDeclaredShape()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Up([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim * 2);

                [Forward]
                [return: Shape("B Dim")]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Proj.forward(x);
            }
            """);
        Assert.Equal(
            [
                ("GRELA003", 10, 50, "'Up' Forward returns [B, Dim*2] but its [return: Shape] declares [B, Dim]: dim Dim*2 ('proj' Linear.Out, line 10) != Dim ([return: Shape], line 13) [composed at line 14]"),
                ("GRELA003", 14, 67, "'Up' Forward returns [B, Dim*2] but its [return: Shape] declares [B, Dim]: dim Dim*2 ('proj' Linear.Out, line 10) != Dim ([return: Shape], line 13)"),
            ],
            d);
    }

    [Fact]
    public void GRELA004_NonPositiveConstantSize()
    {
        var d = Diagnose("""
            public static class Factory
            {
                public static Linear Make() => new Linear(0, 4);
            }
            """);
        Assert.Equal([("GRELA004", 9, 47, "Linear.In must be positive, got 0")], d);
    }

    [Fact]
    public void GRELA005_RateOutOfRange()
    {
        var d = Diagnose("""
            public static class Factory
            {
                public static DropoutLayer Make() => new(Rate: 1.5);
            }
            """);
        Assert.Equal([("GRELA005", 9, 52, "DropoutLayer.Rate must be a rate in [0, 1), got 1.5")], d);
    }

    [Fact]
    public void GRELA006_NegativeConstant()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Shift([NonNegative] int Offset, [Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, Tensor x) => m.Proj.forward(x);
            }

            public static class Factory
            {
                public static Shift Make() => new Shift(-1, 8);
            }
            """);
        Assert.Equal([("GRELA006", 18, 45, "Shift.Offset must be non-negative, got -1")], d);
    }

    [Fact]
    public void GRELA007_HeadsDoNotDivideWidth()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Attention([Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
            {
                [Sub("qkv")] public Linear Qkv => new(Dim, Dim * 3);

                [Forward]
                public Tensor Forward(Module m, Tensor x) => m.Qkv.forward(x);
            }

            public static class Factory
            {
                public static Attention Make() => new(64, Heads: 5);
            }
            """);
        Assert.Equal([("GRELA007", 18, 54, "Attention.Heads (5) must divide Attention.Dim (64)")], d);
    }

    [Fact]
    public void GRELA008_LayerNotPartial()
    {
        var d = Diagnose("""
            [Layer]
            public sealed record Plain(int Dim)
            {
                [Forward]
                public Tensor Forward(Tensor m, Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA008", 8, 22, "Layer record 'Plain' must be declared partial so that Grela can generate its module")], d);
    }

    [Fact]
    public void GRELA009_SublayerIsNotALayer()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Odd([Positive] int Dim)
            {
                [Sub("width")] public int Width => Dim;

                [Forward]
                public Tensor Forward(Module m, Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA009", 10, 31, "Sublayer 'Width' has type 'int', which is not a [Layer] or [Leaf] record nor a LayerList<T> of one")], d);
    }

    [Fact]
    public void GRELA010_UnknownDimName()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Typo([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dimm")] Tensor x) => m.Proj.forward(x);
            }
            """);
        Assert.Equal([("GRELA010", 13, 38, "Shape \"B L Dimm\" names 'Dimm', which is neither an int hyperparameter of 'Typo' nor a glossary dim (B L N T S K C H Dh D M)")], d);
    }

    [Fact]
    public void GRELA011_UnreadableShape()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim*")] Tensor x) => m.Proj.forward(x);
            }
            """);
        Assert.Equal([("GRELA011", 13, 38, "Shape \"B L Dim*\" is invalid: cannot read dim 'Dim*' (expected a name, an integer or arithmetic like Dim*4 without spaces)")], d);
    }

    [Fact]
    public void AnUnreadableShapeStillGeneratesTheModuleWithoutFollowOnErrors()
    {
        var (run, compile) = GeneratorHarness.Run(GeneratorHarness.Usings + """
            namespace Demo;

            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim*")] Tensor x) => m.Proj.forward(x);
            }
            """);
        Assert.Equal(["GRELA011"], run.Diagnostics.Select(d => d.Id));
        Assert.Single(run.GeneratedTrees);
        Assert.Empty(compile);
    }

    [Fact]
    public void GRELA012_NeitherForwardNorState()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Nothing([Positive] int Dim)
            {
                public Tensor Forward(Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA012", 8, 30, "Layer 'Nothing': no method is marked [Forward] and no member is a [Sub], [Buffer] or [Parameter]; a layer needs one or the other")], d);
    }

    [Fact]
    public void AStateOnlyLayerIsNotGRELA012() =>
        GeneratorHarness.RunClean(GeneratorHarness.Usings + """
            namespace Demo;

            [Layer]
            public sealed partial record Table([Positive] int Dim)
            {
                [Buffer("table")] public Tensor Values() => ones(Dim);
            }
            """);

    [Fact]
    public void GRELA029_ForwardedNameTakenByTheModule()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Named([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Proj.forward(x);

                public string GetName(Module m) => "named";
            }
            """);
        Assert.Equal([("GRELA029", 15, 19, "Layer 'Named': method 'GetName' takes the module first, but the generated module already has a member 'GetName' (TorchSharp's Module, Spec, Path or DisplayPath), so it cannot be forwarded; rename it")], d);
    }

    [Fact]
    public void GRELA027_LeafWithoutILeaf()
    {
        var d = Diagnose("""
            [Leaf]
            public sealed partial record Scale([Positive] int Dim);
            """);
        Assert.Equal([("GRELA027", 8, 30, "Layer 'Scale': a [Leaf] record must implement ILeaf<TModule>")], d);
    }

    [Fact]
    public void GRELA025_SecondForward()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Two([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;

                [Forward]
                public Tensor Again(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA025", 14, 19, "Layer 'Two': 'Again' is a second method marked [Forward] after 'Forward'; a layer has exactly one")], d);
    }

    [Fact]
    public void GRELA026_ForwardWithoutModule()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record NoModule([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward([Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA026", 11, 19, "Layer 'NoModule': the [Forward] method must be an instance method 'TResult Forward(Module m, T1 x[, T2 y[, T3 z]])' with 1 to 3 inputs after the module")], d);
    }

    [Fact]
    public void GRELA013_LayerMustBeARecord()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial class NotARecord
            {
            }
            """);
        Assert.Equal([("GRELA013", 8, 29, "Layer 'NotARecord': a layer must be a top-level, non-generic record class ('partial record')")], d);
    }

    [Fact]
    public void GRELA014_ViewToTheWrongNumberOfElements()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Joint([Positive] int Dim)
            {
                [Sub("qk")] public Linear Qk => new(Dim, 3 * Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor u)
                    => m.Qk.forward(u).view([.. u.shape[..^1], 2, Dim]).select(2, 0);
            }
            """);
        const string message = "view of [B, L, 3*Dim] to [B, L, 2, Dim] changes the number of elements: B*L*3*Dim ('qk' Linear.Out, line 10) != B*L*2*Dim ([Shape] of 'u', line 13)";
        Assert.Equal(
            [("GRELA014", 10, 46, message + " [composed at line 14]"), ("GRELA014", 14, 12, message)],
            d);
    }

    [Fact]
    public void GRELA015_SplitSizesThatDoNotAddUp()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Parts([Positive] int Dim, [Positive] int State)
            {
                [Sub("x_proj")] public Linear XProj => new(Dim, Dim + State);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                {
                    var parts = m.XProj.forward(x).split([Dim, State, State], -1);
                    return parts[0];
                }
            }
            """);
        const string message = "split of [B, L, Dim+State] along axis -1 into [Dim, State, State]: the sizes add up to Dim+State+State, but the dim is Dim+State ('x_proj' Linear.Out, line 10)";
        Assert.Equal(
            [("GRELA015", 10, 53, message + " [composed at line 15]"), ("GRELA015", 15, 21, message)],
            d);
    }

    [Fact]
    public void GRELA016_MatmulInnerDimsDisagree()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Scores([Positive] int Dim)
            {
                [Sub("key")] public Linear Key => new(Dim, Dim * 2);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor q)
                    => q.matmul(m.Key.forward(q).transpose(1, 2));
            }
            """);
        const string message = "matmul of [B, L, Dim] and [B, Dim*2, L]: dim Dim ([Shape] of 'q', line 13) != Dim*2 ('key' Linear.Out, line 10)";
        Assert.Equal(
            [("GRELA016", 10, 48, message + " [composed at line 14]"), ("GRELA016", 14, 12, message)],
            d);
    }

    [Fact]
    public void GRELA017_WhereCheckingStopsIsOptIn()
    {
        const string source = """
            [Layer]
            public sealed partial record Pool([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x.repeat(1, 2, 1);
            }
            """;
        Assert.Empty(Diagnose(source));
        var enabled = GeneratorHarness.Compile(GeneratorHarness.Usings + "namespace Demo;\n\n" + source);
        enabled = enabled.WithOptions(enabled.Options.WithSpecificDiagnosticOptions([new("GRELA017", ReportDiagnostic.Info)]));
        var run = GeneratorHarness.Driver().RunGenerators(enabled).GetRunResult();
        var d = run.Diagnostics.Select(x => (x.Id, x.Location.GetLineSpan().StartLinePosition.Line + 1, x.Location.GetLineSpan().StartLinePosition.Character + 1, x.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(
            [("GRELA017", 11, 69, "Shape checking stops at 'repeat': the shape of its result (input [B, L, Dim]) is unknown from here on (runtime guards still check the layer's inputs and result)")],
            d);
    }

    [Fact]
    public void GRELA018_DividesMustNameAnIntHyperparameter()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim, [Divides("Width")] int Heads)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA018", 8, 55, "Layer 'Bad': [Divides(\"Width\")] on 'Heads' must name another int hyperparameter, and 'Heads' must be an int")], d);
    }

    [Fact]
    public void GRELA019_ConstraintOnAString()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim, [Positive] string Name)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA019", 8, 54, "Layer 'Bad': constraint attributes apply to int, long, float or double hyperparameters, not 'string' ('Name')")], d);
    }

    [Fact]
    public void GRELA020_DottedRegistrationName()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Sub("a.b")] public Linear Fc => new(Dim, Dim);
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA020", 10, 6, "Layer 'Bad': [Sub(\"a.b\")] on 'Fc' needs a unique, non-empty registration name without dots")], d);
    }

    [Fact]
    public void GRELA021_ReservedSublayerName()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Sub("path")] public Linear Path => new(Dim, Dim);
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA021", 10, 33, "Layer 'Bad': sublayer 'Path' must be a get-only instance property whose name is not one of the generated module's (Spec, Path, DisplayPath)")], d);
    }

    [Fact]
    public void GRELA022_BufferWithParameters()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Buffer("b")] public Tensor B(int n) => zeros(n);
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA022", 10, 33, "Layer 'Bad': [Buffer] method 'B' must be an instance method 'Tensor B()' with a registration name")], d);
    }

    [Fact]
    public void GRELA023_InitWithoutModule()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Init] public void Setup() { }
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }
            """);
        Assert.Equal([("GRELA023", 10, 24, "Layer 'Bad': [Init] must be on one instance method 'void Setup(Module m)'")], d);
    }

    [Fact]
    public void GRELA024_ShapeOnAnInt()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record Bad([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x, [Shape("B")] int n) => x;
            }
            """);
        Assert.Equal([("GRELA024", 11, 65, "Layer 'Bad': [Shape] applies to Tensor parameters, not 'n'")], d);
    }

    [Theory]
    [InlineData("""
        [Layer]
        public sealed partial record Encoder([Positive] int Dim)
        {
            [Sub("gru")] public Gru Gru => new(Dim, Dim);

            [Forward]
            public Tensor Forward(Module m, [Shape("B Dim")] Tensor x)
            {
                var (output, _) = m.Gru.forward(x);
                return output;
            }
        }
        """, 15, 41, "'gru' (Gru) input expects [B, L, Dim] (rank 3), got [B, Dim] (rank 2)")]
    [InlineData("""
        [Layer]
        public sealed partial record Flat([Positive] int Dim)
        {
            [Forward]
            [return: Shape("B L Dim")]
            public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x * 2;
        }
        """, 12, 67, "[return: Shape] of 'Flat' expects [B, L, Dim] (rank 3), got [B, Dim] (rank 2)")]
    [InlineData("""
        [Layer]
        public sealed partial record Joins([Positive] int Dim)
        {
            [Forward]
            public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B Dim")] Tensor y) => torch.cat([x, y], -1);
        }
        """, 11, 96, "cat (like its first operand) expects [B, L, Dim] (rank 3), got [B, Dim] (rank 2)")]
    public void GRELA028_WrongRankAtASublayerTheResultOrACat(string body, int line, int column, string message) =>
        Assert.Equal([("GRELA028", line, column, message)], Diagnose(body));

    [Fact]
    public void GRELA030_HeadWidthIsNotAMultipleOfTwo()
    {
        var d = Diagnose("""
            [Layer]
            public sealed partial record RotaryAttention([Positive] int Dim, [Positive, Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads)
            {
                [Sub("qk")] public Linear Qk => new(Dim, Dim * 2);

                [Forward]
                public Tensor Forward(Module m, Tensor x) => m.Qk.forward(x);
            }

            public static class Factory
            {
                public static RotaryAttention Odd() => new(60, Heads: 4);
                public static RotaryAttention Even() => new(64, Heads: 4);
                public static RotaryAttention Indivisible() => new(60, Heads: 7);
                public static RotaryAttention OnlyDimWritten(int heads) => new(Dim: 30, Heads: heads);
                public static RotaryAttention OnlyHeadsWritten(int dim) => new(dim, 2);
            }
            """);
        // Odd quotient: GRELA030 at the argument; no divisor at all: GRELA007 alone; an end that is
        // not constant leaves the rule to Validate.
        Assert.Equal(
            [
                ("GRELA030", 18, 59, "RotaryAttention.Dim / RotaryAttention.Heads must be a multiple of 2, got 60 / 4 = 15"),
                ("GRELA007", 20, 67, "RotaryAttention.Heads (7) must divide RotaryAttention.Dim (60)"),
            ],
            d);
    }

    [Theory]
    [InlineData("QuotientMultipleOf = 0")]
    [InlineData("QuotientMultipleOf = -2")]
    [InlineData("QuotientMultipleOf = Sizes.Pair")]
    public void GRELA031_QuotientMultipleMustBeAPositiveConstant(string argument)
    {
        var d = Diagnose($$"""
            [Layer]
            public sealed partial record Bad([Positive] int Dim, [Divides(nameof(Dim), {{argument}})] int Heads)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => x;
            }

            public static class Sizes
            {
                public static int Pair = 2;
            }
            """);
        Assert.Equal([("GRELA031", 8, 55, "Layer 'Bad': QuotientMultipleOf of [Divides(\"Dim\")] on 'Heads' must be an int constant of at least 1")], d);
    }

    [Fact]
    public void GRELA032_OddWidthForRotaryEncoding()
    {
        // The real RotaryEncoding from Grela.Core: its [MultipleOf(2)] is read from metadata.
        var d = Diagnose("""
            public static class Factory
            {
                public static Grela.Models.RecGrela.RotaryEncoding Odd() => new(200, 15);
                public static Grela.Models.RecGrela.RotaryEncoding Even() => new(200, 16);
                public static Grela.Models.RecGrela.RotaryEncoding Named() => new(Dim: 7, MaxLength: 8);
                public static Grela.Models.RecGrela.RotaryEncoding NotConstant(int dim) => new(200, dim);
            }
            """);
        // Each odd constant is reported at its argument; an even one, or one only known at run
        // time, is not (Validate checks that one).
        Assert.Equal(
            [
                ("GRELA032", 9, 74, "RotaryEncoding.Dim must be a multiple of 2, got 15"),
                ("GRELA032", 11, 76, "RotaryEncoding.Dim must be a multiple of 2, got 7"),
            ],
            d);
    }

    [Fact]
    public void AValidMultipleIsNotGRELA032()
    {
        var text = GeneratorHarness.RunClean(GeneratorHarness.Usings + """
            namespace Demo;

            [Layer]
            public sealed partial record Pairs([Positive] int MaxLength, [Positive, MultipleOf(4)] long Dim)
            {
                [Buffer("table")] public Tensor Values() => ones(MaxLength, Dim);
            }

            public static class Factory
            {
                public static Pairs Valid() => new(3, 8);
                public static Pairs Named() => new(Dim: 12, MaxLength: 3);
            }
            """)["Demo.Pairs.g.cs"];
        // The runtime guard for what the build cannot see.
        Assert.Contains("global::Grela.Layers.LayerValidation.MultipleOf(path, \"Dim\", Dim, 4)", text);
    }

    [Theory]
    [InlineData("[MultipleOf(0)] int Dim", "Dim")]
    [InlineData("[MultipleOf(-2)] int Dim", "Dim")]
    [InlineData("[MultipleOf(Sizes.Pair)] int Dim", "Dim")]
    [InlineData("[MultipleOf(2)] double Dim", "Dim")]
    [InlineData("[MultipleOf(2)] string Name", "Name")]
    public void GRELA033_MultipleOfNeedsAPositiveConstantOnAnInt(string parameter, string name)
    {
        var d = Diagnose($$"""
            [Layer]
            public sealed partial record Bad([Positive] int MaxLength, {{parameter}})
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B MaxLength")] Tensor x) => x;
            }

            public static class Sizes
            {
                public static int Pair = 2;
            }
            """);
        Assert.Equal([("GRELA033", 8, 61, $"Layer 'Bad': [MultipleOf] on '{name}' needs an int constant factor of at least 1, and '{name}' must be an int")], d);
    }

    [Fact]
    public void EveryDescriptorHasATestAndADocPage()
    {
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("GRELA", StringComparison.Ordinal)).Select(n => n[..8]).ToHashSet();
        var docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        foreach (var descriptor in Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id, tested);
            // Every check is an error; only the opt-in report of where checking stops is not.
            if (descriptor.Id == "GRELA017")
            {
                Assert.Equal(DiagnosticSeverity.Info, descriptor.DefaultSeverity);
                Assert.False(descriptor.IsEnabledByDefault);
            }
            else
            {
                Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            }
            Assert.Equal(Diagnostics.DiagnosticDescriptors.HelpBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(docs, descriptor.Id + ".md")), descriptor.Id + " has no page in docs/diagnostics");
        }
        var releases = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Grela.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.All(Diagnostics.DiagnosticDescriptors.All, d => Assert.Contains(d.Id + " |", releases));
    }

    internal static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
