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
        // The helper's [Shape] checks what it receives: the widened projection is reported on its
        // construction argument (line 10) and the call (line 14); the view inside the helper then asks
        // for fewer elements than it gets (GRELA014, line 10 and the view on line 16).
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
        Assert.Equal(["GRELA001@10", "GRELA001@14", "GRELA014@10", "GRELA014@16"], errors);
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
    public void AnOptionalTensorKeepsItsShape()
    {
        // `Wide ? t : null` is t where it is a tensor: its width Dim*2 reaches 'back', reported on both
        // construction lines ('wide' line 10, 'back' line 11).
        var errors = Errors("""
            [Layer]
            public sealed partial record Optional([Positive] int Dim, bool Wide)
            {
                [Sub("wide")] public Linear WideProj => new(Dim, Dim * 2);
                [Sub("back")] public Linear Back => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor x)
                {
                    var h = Wide ? m.WideProj.forward(x) : null;
                    return m.Back.forward(h!);
                }
            }
            """);
        Assert.Equal(["GRELA001@10", "GRELA001@11"], errors);
    }

    [Fact]
    public void ReductionsOverConstantAxesAreFollowed()
    {
        // sum(1) drops L, mean([1], keepdim: true) keeps it as 1, cumsum keeps the shape: each widened
        // input reaches a Linear of width Dim and is reported at the call (lines 15, 16, 17) and on the
        // Linear's width (line 10, once per shape). The axis read from a parameter is unknown, so line
        // 18 stays silent.
        var errors = Errors("""
            [Layer]
            public sealed partial record Pools([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B L Dim*2")] Tensor wide, int axis)
                {
                    var a = m.Proj.forward(wide.sum(1));
                    var b = m.Proj.forward(wide.mean([1], keepdim: true));
                    var c = m.Proj.forward(wide.cumsum(1));
                    var d = m.Proj.forward(wide.sum(axis));
                    return a.unsqueeze(1) + b + c + d + m.Proj.forward(x.sum(-2, keepdim: true)) + x.sum();
                }
            }
            """);
        Assert.Equal(["GRELA001@10", "GRELA001@10", "GRELA001@10", "GRELA001@15", "GRELA001@16", "GRELA001@17"], errors);
    }

    [Fact]
    public void ReductionsKeepOrDropTheirAxes()
    {
        // [B, L, Dim] summed over L is [B, Dim]; keepdim gives [B, 1, Dim]; a full sum is a scalar,
        // so the declared [B, L, Dim] result of the first is a rank error (line 13), the others fit.
        var errors = Errors("""
            [Layer]
            public sealed partial record Sums([Positive] int Dim)
            {
                [Forward]
                [return: Shape("B L Dim")]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x.sum(1);
            }

            [Layer]
            public sealed partial record Keeps([Positive] int Dim)
            {
                [Forward]
                [return: Shape("B 1 Dim")]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x.amax([1], true) + x.sum();
            }
            """);
        Assert.Equal(["GRELA028@12"], errors);
    }

    [Fact]
    public void GuardedEntryPointCalledWithoutItsDefaultsIsChecked()
    {
        // The wrapper keeps ForwardAt's default, so the call may leave 'scale' out and is still a
        // composition step: Dim*2 reaches the reader's Dim (construction argument line 22, call line 25).
        var errors = Errors("""
            [Layer]
            public sealed partial record Reader([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Proj.forward(x);

                [return: Shape("B Dim")]
                public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor x, double scale = 1.0) => m.Proj.forward(x.select(1, 0)) * scale;
            }

            [Layer]
            public sealed partial record Outer([Positive] int Dim)
            {
                [Sub("wide")] public Linear Wide => new(Dim, Dim * 2);
                [Sub("reader")] public Reader Read => new(Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Read.ForwardAt(m.Wide.forward(x));
            }
            """);
        Assert.Equal(["GRELA001@22", "GRELA001@23"], errors);
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
        Assert.Equal(["GRELA028@13"], errors);
    }

    [Fact]
    public void RecurrentLeafOutputIsFollowedThroughItsTuple()
    {
        // GRU4Rec's blind spot: the dense layer reads Dim where the recurrence produces Hidden.
        var errors = Errors("""
            [Layer]
            public sealed partial record Rec([Positive] int Dim, [Positive] int Hidden)
            {
                [Sub("gru")] public Gru Recurrence => new(Dim, Hidden);
                [Sub("dense")] public Linear Dense => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                {
                    var (states, _) = m.Recurrence.forward(x);
                    return m.Dense.forward(states);
                }
            }
            """);
        Assert.Equal(["GRELA001@10", "GRELA001@11"], errors);
    }

    [Fact]
    public void AMalformedPatternOfACalledFunctionIsReportedAtTheCall()
    {
        var diagnostics = GeneratorHarness.Diagnostics(GeneratorHarness.Usings + """
            namespace Demo;

            public static class Scan
            {
                [return: Shape("B L D")]
                public static Tensor Run([Shape("B (L D")] Tensor x) => x;
            }

            [Layer]
            public sealed partial record UsesScan([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => Scan.Run(x);
            }
            """);
        var found = Assert.Single(diagnostics, d => d.Id == "GRELA011");
        Assert.Equal(17, found.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.StartsWith("Shape \"B (L D\" is invalid: ", found.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TensorFunctionsWithShapeSignaturesAreCompositionSteps()
    {
        var diagnostics = GeneratorHarness.Diagnostics(GeneratorHarness.Usings + """
            namespace Demo;

            public static class Scan
            {
                [return: Shape("B L D")]
                public static Tensor Run([Shape("B L D")] Tensor x, [Shape("D N")] Tensor a) => x;
            }

            [Layer]
            public sealed partial record UsesScan([Positive] int Dim, [Positive] int State)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim * 2);
                [Sub("out")] public Linear Out => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
                    => m.Out.forward(Scan.Run(m.Proj.forward(x), zeros(Dim * 2, State)));
            }
            """);
        var messages = diagnostics.Select(d => d.Id + "@" + (d.Location.GetLineSpan().StartLinePosition.Line + 1) + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(
            [
                "GRELA001@16: 'out' (Linear) input expects [..., Dim], got [B, L, Dim*2]: dim Dim*2 ('proj' Linear.Out, line 16) != Dim ('out' Linear.In, line 17) [composed at line 21]",
                "GRELA001@17: 'out' (Linear) input expects [..., Dim], got [B, L, Dim*2]: dim Dim*2 ('proj' Linear.Out, line 16) != Dim ('out' Linear.In, line 17) [composed at line 21]",
            ],
            messages);
    }

    [Theory]
    [InlineData("new(Dim * 2, Dim)", new string[0])]
    [InlineData("new(Dim, Dim)", new[] { "GRELA001@11", "GRELA001@12" })]
    public void MovedAndSplitDimsAreFollowed(string wrong, string[] expected)
    {
        // chunk halves the joint projection; view/transpose/matmul/reshape(-1)/stack/select/unsqueeze/
        // squeeze/cat keep each dim where it belongs, so the width of 'joined' is known at the end:
        // the right projection is silent and a narrower one is reported (not "unknown").
        var errors = Errors(("""
            [Layer]
            public sealed partial record Moves([Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
            {
                [Sub("xz")] public Linear Xz => new(Dim, 2 * Dim);
                [Sub("fine")] public Linear Fine => new(Dim, Dim);
                [Sub("wrong")] public Linear Wrong => WRONG;
                public int HeadDim => Dim / Heads;

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor u)
                {
                    var xz = m.Xz.forward(u).chunk(2, -1);
                    var heads = xz[0].view(u.shape[0], u.shape[1], Heads, HeadDim).transpose(1, 2);   // [B, H, L, d]
                    var scores = heads.matmul(heads.transpose(-2, -1));                                // [B, H, L, L]
                    var mixed = scores.matmul(heads).transpose(1, 2).reshape(u.shape[0], u.shape[1], -1);
                    var both = torch.stack([m.Fine.forward(mixed), xz[1]], 0).select(0, 1);
                    var back = both.unsqueeze(1).squeeze(1);
                    var joined = torch.cat([back, u], -1);                                             // [B, L, 2*Dim]
                    return m.Fine.forward(back) + m.Wrong.forward(joined).narrow(-1, 0, Dim);
                }
            }
            """).Replace("WRONG", wrong));
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void CatChecksTheOtherDimsAndViewInfersMinusOne()
    {
        // cat needs operands of one rank (GRELA028 on the cat, line 17); the view's -1 is inferred as
        // Dim*2/Heads, so the Linear after the reshape is checked against Heads*(Dim*2/Heads) = 2*Dim and
        // the narrower 'after' is reported on both construction arguments ('before' made the width, line 10).
        var errors = Errors("""
            [Layer]
            public sealed partial record Joins([Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
            {
                [Sub("before")] public Linear Before => new(Dim, Dim);
                [Sub("after")] public Linear After => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B Dim")] Tensor y)
                {
                    var wide = torch.cat([m.Before.forward(x), x], -1).view(x.shape[0], x.shape[1], Heads, -1);
                    var bad = torch.cat([x, y], -1);
                    return m.After.forward(wide.reshape(x.shape[0], x.shape[1], -1));
                }
            }
            """);
        Assert.Equal(["GRELA001@10", "GRELA001@11", "GRELA028@17"], errors);
    }

    [Fact]
    public void GuardedEntryPointsOfSublayersAreCompositionSteps()
    {
        // m.Inner.ReadAt(...) calls the module's guarded wrapper of Inner.ReadAt: checked like the
        // record method with the module argument left out (the wider 'up' and the 'inner' it feeds, lines 23 and 24).
        var errors = Errors("""
            [Layer]
            public sealed partial record Inner([Positive] int Dim)
            {
                [Sub("proj")] public Linear Proj => new(Dim, Dim);

                [Forward]
                [return: Shape("B L Dim")]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => m.Proj.forward(x);

                [return: Shape("B Dim")]
                public Tensor ReadAt(Module m, [Shape("B L Dim")] Tensor x, [Shape("B")] Tensor positions) => m.Proj.forward(x).select(1, 0);
            }

            [Layer]
            public sealed partial record Outer([Positive] int Dim)
            {
                [Sub("up")] public Linear Up => new(Dim, Dim * 2);
                [Sub("inner")] public Inner Reader => new(Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B")] Tensor positions)
                    => m.Reader.ReadAt(m.Up.forward(x), positions);
            }
            """);
        Assert.Equal(["GRELA001@23", "GRELA001@24"], errors);
    }

    [Theory]
    [InlineData("new(Dim, Dim)", new string[0])]
    [InlineData("new(Dim * 2, Dim)", new[] { "GRELA001@10", "GRELA001@15" })]
    public void IndexSelectTakesTheIndexLength(string after, string[] expected)
    {
        // index_select keeps the width and gives axis 0 the index's length: the table's rows go into 'after'.
        var errors = Errors("""
            [Layer]
            public sealed partial record Picks([Positive] int Dim)
            {
                [Sub("after")] public Linear After => AFTER;

                [Forward]
                [return: Shape("N Dim")]
                public Tensor Forward(Module m, [Shape("T Dim")] Tensor table, [Shape("N")] Tensor rows)
                    => m.After.forward(table.index_select(0, rows));
            }
            """.Replace("AFTER", after));
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void IndexSelectNamesTheIndexLengthInTheResult()
    {
        // The result is [N, Dim]: declaring [T, Dim] is reported (N is the index's length, not the table's).
        var errors = Errors("""
            [Layer]
            public sealed partial record Picks([Positive] int Dim)
            {
                [Forward]
                [return: Shape("T Dim")]
                public Tensor Forward(Module m, [Shape("T Dim")] Tensor table, [Shape("N")] Tensor rows, [Shape("B Dim")] Tensor other)
                    => table.index_select(0, rows) + other.index_select(0, rows);
            }
            """);
        Assert.Equal(["GRELA003@13"], errors);
    }

    [Theory]
    [InlineData("x.shape[2]", new string[0])]
    [InlineData("Dim * 2", new[] { "GRELA001@10", "GRELA001@17", "GRELA016@16" })]
    public void ExpandReplacesOnesAndKeepsMinusOne(string width, string[] expected)
    {
        // gather+expand as in the readout: positions [B] -> [B, 1, 1] -> expand(-1, 1, width) -> gather -> [B, 1, Dim].
        // Expanding the width Dim to Dim*2 is reported on the expand of x (GRELA016, line 16); the gathered
        // [B, 1, Dim*2] then reaches 'out' (GRELA001 on its construction argument and the call, lines 10 and 17).
        var errors = Errors("""
            [Layer]
            public sealed partial record Reads([Positive] int Dim)
            {
                [Sub("out")] public Linear Out => new(Dim, Dim);

                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B")] Tensor positions)
                {
                    var index = positions.view(-1, 1, 1).expand(-1, 1, WIDTH);
                    var wide = x.expand(-1, -1, WIDTH);
                    return m.Out.forward(x.gather(1, index).squeeze(1)) + m.Out.forward(wide).select(1, 0);
                }
            }
            """.Replace("WIDTH", width));
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void ExpandOfANewLeadingDimAndAOneIsFollowed()
    {
        // [Dim] -> expand(B, Dim) is [B, Dim], so the narrower 'narrow' is reported when added to x (its
        // construction argument and the sum, lines 10 and 16); [1, Dim] -> expand(Dim, -1) is [Dim, Dim],
        // which the declared [B, Dim] result does not fit (line 17).
        var errors = Errors("""
            [Layer]
            public sealed partial record Rows([Positive] int Dim)
            {
                [Sub("narrow")] public Linear Narrow => new(Dim, Dim / 2 + 1);

                [Forward]
                [return: Shape("B Dim")]
                public Tensor Forward(Module m, [Shape("Dim")] Tensor bias, [Shape("B Dim")] Tensor x)
                {
                    var rows = m.Narrow.forward(bias.expand(x.shape[0], Dim)) + x;
                    return bias.unsqueeze(0).expand(Dim, -1) + rows.sum();
                }
            }
            """);
        Assert.Equal(["GRELA002@10", "GRELA002@16", "GRELA003@17"], errors);
    }

    [Fact]
    public void GatherNeedsAnIndexOfTheInputRank()
    {
        var errors = Errors("""
            [Layer]
            public sealed partial record Gathers([Positive] int Dim)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B K")] Tensor index) => x.gather(1, index);
            }
            """);
        Assert.Equal(["GRELA028@11"], errors);
    }

    [Theory]
    [InlineData("Dim", new string[0])]
    [InlineData("Dim * 2", new[] { "GRELA001@10", "GRELA001@17" })]
    public void EinsumBindsLettersToDims(string width, string[] expected)
    {
        // "rhd,rhe->hde" contracts the slots: [S, Heads, Dim] x [S, Heads, Dim] -> [Heads, Dim, Dim]; one head's
        // [Dim, Dim] goes into 'out', so a wider 'out' is reported (its construction argument and the call, lines 10 and 17).
        var errors = Errors("""
            [Layer]
            public sealed partial record Slots([Positive] int Dim, [Positive] int Heads)
            {
                [Sub("out")] public Linear Out => new(WIDTH, Dim);

                [Forward]
                [return: Shape("Dim Dim")]
                public Tensor Forward(Module m, [Shape("S Heads Dim")] Tensor keys, [Shape("S Heads Dim")] Tensor values)
                {
                    var state = torch.einsum("rhd,rhe->hde", keys, values);
                    return m.Out.forward(state.select(0, 0));
                }
            }
            """.Replace("WIDTH", width));
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void EinsumReportsALetterWhoseDimsDiffer()
    {
        // 'd' is Dim in the first operand and Wide in the second: GRELA016 names both shapes on the einsum's line;
        // an ellipsis stays unknown (no error from the mismatched sum after it).
        var diagnostics = GeneratorHarness.Diagnostics(GeneratorHarness.Usings + "namespace Demo;\n\n" + """
            [Layer]
            public sealed partial record Contracts([Positive] int Dim, [Positive] int Wide)
            {
                [Forward]
                public Tensor Forward(Module m, [Shape("B Dim")] Tensor a, [Shape("B Wide")] Tensor b)
                    => torch.einsum("bd,bd->b", a, b) + torch.einsum("...d,...d->...", a, a).unsqueeze(0).expand(2, 3);
            }
            """);
        var found = Assert.Single(diagnostics, d => d.Id.StartsWith("GRELA", StringComparison.Ordinal) && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal("GRELA016", found.Id);
        Assert.Equal(12, found.Location.GetLineSpan().StartLinePosition.Line + 1);
        var message = found.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("[B, Dim]", message);
        Assert.Contains("[B, Wide]", message);
    }
}
