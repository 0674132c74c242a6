using Grela.Layers;
using Grela.Shapes.Grammar;

namespace Grela.Generators.Tests;

/// <summary>
/// The generator and the runtime guards read shape patterns with one parser (src/Shared/ShapeGrammar.cs,
/// compiled into both); this pins that they accept and reject the same patterns, and read the same dims.
/// </summary>
public class ShapeGrammarParityTests
{
    [Theory]
    [InlineData("B L Dim", true)]
    [InlineData("... Dim/Heads", true)]
    [InlineData("*batch Dim*4", true)]
    [InlineData("B (Dim+1)*2 _", true)]
    [InlineData("2 Dim-1", true)]
    [InlineData("B  L", true)]
    [InlineData("", true)]
    [InlineData("B L Dim*", false)]
    [InlineData("... ...", false)]
    [InlineData("... *rest", false)]
    [InlineData("2L", false)]
    [InlineData("(Dim", false)]
    [InlineData("Dim)", false)]
    [InlineData("B,L", false)]
    [InlineData("* B", false)]
    [InlineData("99999999999999999999", false)]
    public void GeneratorAndRuntimeAgree(string pattern, bool valid)
    {
        var generator = PatternParser.TryParse(pattern, out var parsed, out _);
        ShapePattern? runtime = null;
        var runtimeError = Record.Exception(() => runtime = ShapePattern.Parse(pattern));
        Assert.Equal(valid, generator);
        Assert.Equal(valid, runtimeError is null);
        if (!valid)
        {
            Assert.IsType<FormatException>(runtimeError);
            return;
        }
        Assert.Equal(parsed!.Dims.Count, runtime!.Dims.Count);
        Assert.Equal(parsed.Dims.ToList().FindIndex(d => d.IsVariadic), runtime.EllipsisIndex);
        Assert.Equal(parsed.Names().Order(), runtime.Dims.OfType<DimPattern.Expr>().SelectMany(e => Names(e.Value)).Distinct().Order());
    }

    private static IEnumerable<string> Names(DimExpr expr) => expr switch
    {
        DimExpr.Name n => [n.Id],
        DimExpr.Binary b => Names(b.Left).Concat(Names(b.Right)),
        _ => [],
    };
}
