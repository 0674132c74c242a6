using Grela.Generators.Model;
using Grela.Generators.Shapes;
using Grela.Shapes.Grammar;
using Microsoft.CodeAnalysis.Text;

namespace Grela.Generators.Tests;

/// <summary>Value equality of the pipeline model records (what makes the incremental cache work).</summary>
public class ModelEqualityTests
{
    private static LayerModel Sample(string fc1 = "fc1", string entryShape = "B") => new(
        "Demo", "Mlp", false, "global::Demo.Mlp.Module",
        new[] { new HyperParameterModel("Dim", true, false, new[] { new ConstraintModel(ConstraintKind.Positive, null) }.ToEquatableArray()) }.ToEquatableArray(),
        new[] { new SubLayerModel("Fc1", fc1, false, "global::TorchSharp.Modules.Linear") }.ToEquatableArray(),
        new[] { new TensorMemberModel("Rotations", "rotations", false, true) }.ToEquatableArray(),
        new ForwardModel("Forward", new[] { new ForwardParameterModel("x", "global::TorchSharp.torch.Tensor", "B L Dim", false) }.ToEquatableArray(), "global::TorchSharp.torch.Tensor", "B L Dim"),
        "Init",
        new[] { new ForwardModel("ForwardAt", new[] { new ForwardParameterModel("positions", "global::TorchSharp.torch.Tensor", entryShape, false) }.ToEquatableArray(), "global::TorchSharp.torch.Tensor", null) }.ToEquatableArray());

    [Fact]
    public void LayerModelsWithEqualContentAreEqual()
    {
        Assert.Equal(Sample(), Sample());
        Assert.Equal(Sample().GetHashCode(), Sample().GetHashCode());
        Assert.NotEqual(Sample(), Sample("fc_1"));
        Assert.NotEqual(Sample(), Sample(entryShape: "B L"));
        Assert.NotEqual(new ConstraintModel(ConstraintKind.Divides, "Dim"), new ConstraintModel(ConstraintKind.Divides, "Dim", QuotientMultipleOf: 2));
        Assert.Equal(new ConstraintModel(ConstraintKind.MultipleOf, null, Factor: 2), new ConstraintModel(ConstraintKind.MultipleOf, null, Factor: 2));
        Assert.NotEqual(new ConstraintModel(ConstraintKind.MultipleOf, null, Factor: 2), new ConstraintModel(ConstraintKind.MultipleOf, null, Factor: 4));
    }

    [Fact]
    public void ParseResultsAndDiagnosticsCompareByValue()
    {
        var where = new LocationInfo("a.cs", new TextSpan(3, 4), new LinePositionSpan(new LinePosition(1, 2), new LinePosition(1, 6)));
        DiagnosticInfo Make(string arg) => DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.DimensionMismatch, where, arg);
        var a = new LayerParseResult(Sample(), new[] { Make("x") }.ToEquatableArray());
        var b = new LayerParseResult(Sample(), new[] { Make("x") }.ToEquatableArray());
        var c = new LayerParseResult(Sample(), new[] { Make("y") }.ToEquatableArray());
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(where, where with { });
    }

    [Fact]
    public void EquatableArraysCompareItems()
    {
        Assert.Equal(new[] { "a", "b" }.ToEquatableArray(), new[] { "a", "b" }.ToEquatableArray());
        Assert.NotEqual(new[] { "a", "b" }.ToEquatableArray(), new[] { "b", "a" }.ToEquatableArray());
        Assert.Equal(EquatableArray<string>.Empty, default);
    }

    [Theory]
    [InlineData("Dim*4", "2*Dim+2*Dim", true)]
    [InlineData("Dim*4", "Dim", false)]
    [InlineData("Dim/Heads*Heads", "Dim", true)]
    [InlineData("(Dim+1)*2", "2*Dim+2", true)]
    [InlineData("Dim-Dim", "0", true)]
    [InlineData("Dim/2", "Dim*1/2", true)]
    [InlineData("Dim/2", "Dim", false)]
    [InlineData("Dim*Heads", "Heads*Dim", true)]
    [InlineData("Dim/(Heads+1)", "Dim/(1+Heads)", true)]
    public void PolynomialNormalForm(string left, string right, bool equal)
    {
        var a = ToPoly(left);
        var b = ToPoly(right);
        Assert.Equal(equal, a.Equals(b));
    }

    [Fact]
    public void PolynomialsPrintReadably()
    {
        Assert.Equal("4*Dim", ToPoly("Dim*4").ToString());
        Assert.Equal("Dim/Heads", ToPoly("Dim/Heads").ToString());
        Assert.Equal("Dim+1", ToPoly("1+Dim").ToString());
        Assert.Equal("Dim/2", ToPoly("Dim/2").ToString());
    }

    private static Poly ToPoly(string text)
    {
        Assert.True(PatternParser.TryParse(text, out var pattern, out var error), error);
        var dim = Analysis.ShapeAlgebra.Evaluate(pattern!.Dims.Single().Expr!, n => new Analysis.SymDim(Poly.Symbol(n), n, null), new Dictionary<string, Analysis.SymDim>());
        return dim!.Value!;
    }
}
