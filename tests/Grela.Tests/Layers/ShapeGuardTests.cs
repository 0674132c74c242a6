using Grela.Layers;
using static TorchSharp.torch;

namespace Grela.Tests.Layers;

public class ShapeGuardTests
{
    [Fact]
    public void WrongWidthNamesPathParameterPatternShapeAndBindings()
    {
        using var m = new SampleStack(10, 4, 3).Build();
        using var x = randn(2, 5, 6);
        var block = m.Blocks[2];
        var e = Assert.Throws<ShapeMismatchException>(() => block.forward(x));
        Assert.Equal("blocks[2]: x expected [B, L, Dim=4], got [2, 5, 6] (B=2, L=5)", e.Message);
        Assert.Equal("blocks[2]", e.ModulePath);
        Assert.Equal("x", e.Parameter);
    }

    [Fact]
    public void WrongRankIsReported()
    {
        using var m = new SampleMlp(4, 0).Build();
        using var x = randn(3, 4);
        var e = Assert.Throws<ShapeMismatchException>(() => m.forward(x));
        Assert.Equal("SampleMlp: x expected [B, L, Dim=4], got [3, 4] (expected rank 3, got 2)", e.Message);
    }

    [Fact]
    public void GuardsCanBeSwitchedOff()
    {
        using var m = new SampleMlp(4, 0).Build();
        using var x = randn(3, 4);
        ShapeGuards.Enabled = false;
        try
        {
            using var y = m.forward(x); // Linear accepts [3, 4]: no guard, no error
            Assert.Equal(new long[] { 3, 4 }, y.shape);
        }
        finally
        {
            ShapeGuards.Enabled = true;
        }
    }

    [Fact]
    public void EntryPointsBesidesForwardAreGuarded()
    {
        using var m = new Grela.Models.RecGrela.RelaAttention(8, 2, 16, Grela.Models.RecGrela.AttentionMode.Causal).Build();
        using var mask = ones(2, 5);
        using var positions = zeros(2, dtype: ScalarType.Int64);
        using var wide = randn(2, 5, 6);
        var e = Assert.Throws<ShapeMismatchException>(() => m.ForwardAt(wide, mask, positions));
        Assert.Equal("RelaAttention: ForwardAt u expected [B, L, Dim=8], got [2, 5, 6] (B=2, L=5)", e.Message);
        Assert.Equal("ForwardAt u", e.Parameter);
        using var u = randn(2, 5, 8);
        using var read = m.ForwardAt(u, mask, positions);
        Assert.Equal(new long[] { 2, 1, 8 }, read.shape);
    }
}
