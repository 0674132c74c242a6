using Grela.Layers;

namespace Grela.Tests.Layers;

public class ShapePatternTests
{
    private static readonly Dictionary<string, long> Hyper = new() { ["Dim"] = 8, ["Heads"] = 2 };

    [Theory]
    [InlineData("B L Dim", new long[] { 3, 5, 8 })]
    [InlineData("... Dim", new long[] { 8 })]
    [InlineData("... Dim", new long[] { 2, 3, 4, 8 })]
    [InlineData("B Heads L Dim/Heads", new long[] { 3, 2, 5, 4 })]
    [InlineData("B _ Dim*4", new long[] { 3, 99, 32 })]
    [InlineData("B L L", new long[] { 3, 5, 5 })]
    [InlineData("*batch Dim", new long[] { 1, 8 })]
    public void Accepts(string pattern, long[] shape) =>
        new ShapeGuard("m", Hyper).Check("x", shape, ShapePattern.Parse(pattern));

    [Theory]
    [InlineData("B L L", new long[] { 3, 5, 6 }, "m: x expected [B, L, L], got [3, 5, 6] (B=3, L=5)")]
    [InlineData("B Dim*4", new long[] { 3, 8 }, "m: x expected [B, Dim*4=32], got [3, 8] (B=3)")]
    [InlineData("... Dim", new long[0], "m: x expected [..., Dim=8], got [] (expected rank at least 1, got 0)")]
    [InlineData("B 2", new long[] { 4, 3 }, "m: x expected [B, 2], got [4, 3] (B=4)")]
    public void RejectsWithMessage(string pattern, long[] shape, string message)
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new ShapeGuard("m", Hyper).Check("x", shape, ShapePattern.Parse(pattern)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void BindingsCarryAcrossParametersOfOneCall()
    {
        var guard = new ShapeGuard("attn", Hyper);
        guard.Check("q", [2, 7, 8], ShapePattern.Parse("B L Dim"));
        var e = Assert.Throws<ShapeMismatchException>(() => guard.Check("mask", [2, 6], ShapePattern.Parse("B L")));
        Assert.Equal("attn: mask expected [B, L], got [2, 6] (B=2, L=7)", e.Message);
    }

    [Theory]
    [InlineData("B L Dim*")]
    [InlineData("B ... ...")]
    [InlineData("B (L")]
    public void BadPatternsAreFormatErrors(string pattern) => Assert.Throws<FormatException>(() => ShapePattern.Parse(pattern));
}
