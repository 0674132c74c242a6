using Grela.Layers;
using Grela.Models.RecGrela;
using Grela.Ops;
using Grela.Ops.Baselines;
using Grela.Tests.Model;
using static TorchSharp.torch;

namespace Grela.Tests.Ops;

/// <summary>
/// Every static tensor function with a [Shape] signature checks its arguments at run time: a
/// mis-sized tensor is reported with the function, the argument, the pattern and the bound dims.
/// </summary>
public class FunctionShapeGuardTests
{
    [Fact]
    public void CausalConvForwardNamesTheWeight()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => CausalConv.Forward(randn(2, 5, 4), randn(6, 1, 3), randn(4)));
        Assert.Equal("CausalConv.Forward: weight expected [D, 1, K], got [6, 1, 3] (B=2, L=5, D=4)", e.Message);
        Assert.Equal("CausalConv.Forward", e.ModulePath);
        Assert.Equal("weight", e.Parameter);
    }

    [Fact]
    public void LinearAttentionGlobalNamesTheValues()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 8);
        var e = Assert.Throws<ShapeMismatchException>(() => LinearAttention.Global(x, x, x, x, randn(2, 5, 6), heads: 2));
        Assert.Equal("LinearAttention.Global: v expected [B, L, D], got [2, 5, 6] (B=2, L=5, D=8)", e.Message);
    }

    [Fact]
    public void LinearAttentionCausalReadNamesThePriorAndTheHeads()
    {
        using var scope = NewDisposeScope();
        var q = randn(2, 1, 8);
        var k = randn(2, 5, 8);
        var e = Assert.Throws<ShapeMismatchException>(() =>
            LinearAttention.CausalRead(q, q, k, k, k, ones(2, 5), heads: 2, priorS: randn(2, 8, 8), priorZ: randn(2, 4)));
        Assert.Equal("LinearAttention.CausalRead: priorS expected [heads=2, D/heads, D/heads], got [2, 8, 8] (B=2, D=8, L=5)", e.Message);
    }

    [Fact]
    public void LinearAttentionCausalNamesTheMask()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 2, 5, 4);
        var e = Assert.Throws<ShapeMismatchException>(() => LinearAttention.Causal(x, x, x, x, x, mask: ones(2, 6)));
        Assert.Equal("LinearAttention.Causal: mask expected [B, L], got [2, 6] (B=2, H=2, L=5, Dh=4)", e.Message);
    }

    [Fact]
    public void RopeFunctionsNameTheirTables()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 8);
        var apply = Assert.Throws<ShapeMismatchException>(() => Rope.Apply(x, Rope.Table(5, 6)));
        Assert.Equal("Rope.Apply: table expected [..., D/2, 2], got [5, 3, 2] (D=8)", apply.Message);
        var complex = Assert.Throws<ShapeMismatchException>(() => Rope.AsComplex(randn(5, 4, 3), ScalarType.Float32));
        Assert.Equal("Rope.AsComplex: table expected [..., D, 2], got [5, 4, 3] (D=4)", complex.Message);
        var rotations = Assert.Throws<ShapeMismatchException>(() => Rope.ApplyComplex(x, Rope.AsComplex(Rope.Table(5, 6), ScalarType.Float32)));
        Assert.Equal("Rope.ApplyComplex: rotations expected [..., D/2], got [5, 3] (D=8)", rotations.Message);
    }

    [Fact]
    public void BaselineAttentionsNameTheKeyMask()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 2, 5, 4);
        var wrong = ones(2, 4, dtype: ScalarType.Bool);
        var softmax = Assert.Throws<ShapeMismatchException>(() => SoftmaxAttention.Causal(x, x, x, wrong));
        Assert.Equal("SoftmaxAttention.Causal: keyValid expected [B, L], got [2, 4] (B=2, H=2, L=5, Dh=4)", softmax.Message);
        var linRec = Assert.Throws<ShapeMismatchException>(() => LinRecAttention.Causal(x, x, x, wrong));
        Assert.Equal("LinRecAttention.Causal: keyValid expected [B, L], got [2, 4] (B=2, H=2, L=5, Dh=4)", linRec.Message);
    }

    [Fact]
    public void SelectiveScansNameTheStateMatrix()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 5, 6);
        var b = randn(2, 5, 3);
        var wrongA = -rand(7, 3);
        foreach (var (name, scan) in new (string, Func<Tensor>)[]
        {
            ("Parallel", () => SelectiveScan.Parallel(x, x, wrongA, b, b, randn(6))),
            ("Sequential", () => SelectiveScan.Sequential(x, x, wrongA, b, b, randn(6))),
        })
        {
            var e = Assert.Throws<ShapeMismatchException>(scan);
            Assert.Equal($"SelectiveScan.{name}: a expected [D, N], got [7, 3] (B=2, L=5, D=6)", e.Message);
        }
    }

    [Fact]
    public void StreamingPrefillNamesTheItems()
    {
        using var scope = NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal), seed: 1);
        var e = Assert.Throws<ShapeMismatchException>(() => RecGrelaStreaming.Prefill(m, ones(3, dtype: ScalarType.Int64)));
        Assert.Equal("RecGrelaStreaming.Prefill: items expected [B, L], got [3] (expected rank 2, got 1)", e.Message);
    }

    [Fact]
    public void StreamingStepChecksTheStateUnderTheItemsBatch()
    {
        using var scope = NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal), seed: 1);
        using var state = RecGrelaStreaming.Start(m, batch: 2);
        var e = Assert.Throws<ShapeMismatchException>(() => RecGrelaStreaming.Step(m, state, ones(3, dtype: ScalarType.Int64)));
        Assert.Equal("RecGrelaStreaming.Step: state.Positions expected [B], got [2] (B=3)", e.Message);
        Assert.Equal("state.Positions", e.Parameter);
    }

    [Fact]
    public void FunctionGuardsFollowTheGlobalSwitch()
    {
        using var scope = NewDisposeScope();
        ShapeGuards.Enabled = false;
        try
        {
            // A [D+2] bias broadcasts nowhere: without the guard, torch itself refuses it.
            var e = Assert.ThrowsAny<Exception>(() => CausalConv.Forward(randn(2, 5, 4), randn(4, 1, 3), randn(6)));
            Assert.IsNotType<ShapeMismatchException>(e);
        }
        finally
        {
            ShapeGuards.Enabled = true;
        }
    }
}
