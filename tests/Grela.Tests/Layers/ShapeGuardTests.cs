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
}
