using Grela.Layers;

namespace Grela.Tests.Layers;

/// <summary>Every layer record keeps value equality, collections included.</summary>
public class RecordEqualityTests
{
    public static TheoryData<object, object, object> Records => new()
    {
        { new Linear(4, 8), new Linear(4, 8), new Linear(4, 8, Bias: false) },
        { new LayerNorm(4), new LayerNorm(4, 1e-12), new LayerNorm(4, 1e-5) },
        { new Embedding(10, 4, 0), new Embedding(10, 4, 0), new Embedding(10, 4) },
        { new DropoutLayer(0.1), new DropoutLayer(0.1), new DropoutLayer(0.2) },
        { new DropPath(0.1), new DropPath(0.1), new DropPath(0.0) },
        { new CausalDepthwiseConv1d(4, 4), new CausalDepthwiseConv1d(4, 4), new CausalDepthwiseConv1d(4, 3) },
        { new Gru(4, 8), new Gru(4, 8, 1), new Gru(4, 8, 2) },
        { new SampleMlp(8, 0.1), new SampleMlp(8, 0.1), new SampleMlp(8, 0.2) },
        { new SampleBlock(8, 2), new SampleBlock(8, 2), new SampleBlock(8, 4) },
        { new SampleStack(10, 4, 2), new SampleStack(10, 4, 2), new SampleStack(10, 4, 3) },
        { LayerList.Repeat(2, i => new Linear(4, 4 + i)), LayerList.Of(new Linear(4, 4), new Linear(4, 5)), LayerList.Of(new Linear(4, 4)) },
        { EquatableArray.Of(1, 2, 3), new EquatableArray<int>([1, 2, 3]), EquatableArray.Of(3, 2, 1) },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void EqualByValue(object a, object sameAsA, object different)
    {
        Assert.Equal(a, sameAsA);
        Assert.Equal(a.GetHashCode(), sameAsA.GetHashCode());
        Assert.NotEqual(a, different);
    }

    [Fact]
    public void WithExpressionsGiveAblations()
    {
        var mlp = new SampleMlp(8, 0.1);
        Assert.Equal(new SampleMlp(8, 0.3), mlp with { Dropout = 0.3 });
        Assert.Equal(mlp.Fc1, new SampleMlp(8, 0.3).Fc1); // sublayers are values too
    }

    [Fact]
    public void SublayerListsCompareItems()
    {
        var a = new SampleStack(10, 4, 2);
        Assert.Equal(a.Blocks, (a with { }).Blocks);
        Assert.NotEqual(a.Blocks, (a with { Depth = 3 }).Blocks);
    }
}
