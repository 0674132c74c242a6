using Grela.Layers;
using static TorchSharp.torch;

namespace Grela.Tests.Layers;

public class LeafLayerTests
{
    [Fact]
    public void LinearHasPyTorchNamesAndShapes()
    {
        using var m = new Linear(3, 5).Build();
        Assert.Equal(["weight", "bias"], m.state_dict().Keys);
        Assert.Equal(new long[] { 5, 3 }, m.weight.shape);
        using var x = randn(2, 4, 3);
        using var y = m.forward(x);
        Assert.Equal(new long[] { 2, 4, 5 }, y.shape);
    }

    [Fact]
    public void CausalConvSeesOnlyThePast()
    {
        using var m = new CausalDepthwiseConv1d(Channels: 2, Kernel: 3).Build();
        Assert.Equal(["weight", "bias"], m.state_dict().Keys);
        Assert.Equal(new long[] { 2, 1, 3 }, m.weight.shape);
        using var x = randn(1, 6, 2);
        using var y = m.forward(x);
        Assert.Equal(new long[] { 1, 6, 2 }, y.shape);
        // Changing position 4 must not change outputs at positions 0..3.
        using var x2 = x.clone();
        x2[0, 4, TensorIndex.Colon].add_(10);
        using var y2 = m.forward(x2);
        Assert.True(allclose(y[0, ..4], y2[0, ..4]));
        Assert.False(allclose(y[0, 4], y2[0, 4]));
    }

    [Fact]
    public void CausalConvMatchesTheDefinition()
    {
        using var m = new CausalDepthwiseConv1d(Channels: 1, Kernel: 2).Build();
        using (no_grad())
        {
            m.weight.copy_(tensor(new float[] { 2, 3 }).reshape(1, 1, 2));
            m.bias.fill_(1);
        }
        using var x = tensor(new float[] { 1, 10, 100 }).reshape(1, 3, 1);
        using var y = m.forward(x);
        // y_t = 2 x_{t-1} + 3 x_t + 1, with x_{-1} = 0.
        Assert.Equal(new float[] { 4, 33, 321 }, y.flatten().data<float>().ToArray());
    }

    [Fact]
    public void DropPathIsIdentityInEvalAndDropsWholeSamplesInTraining()
    {
        using var m = new DropPath(0.5).Build();
        using var x = ones(64, 3, 2);
        m.eval();
        using (var y = m.forward(x)) Assert.True(x.eq(y).all().item<bool>());
        m.train();
        manual_seed(1);
        using var t = m.forward(x);
        using var perSample = t.reshape(64, -1);
        // Each sample is either all 0 or all 1/(1-0.5) = 2.
        using var mins = perSample.amin(1);
        using var maxs = perSample.amax(1);
        Assert.True(mins.eq(maxs).all().item<bool>());
        var values = mins.data<float>().ToArray().Distinct().Order().ToArray();
        Assert.Equal(new float[] { 0, 2 }, values);
    }

    [Fact]
    public void GruIsBatchFirstWithPyTorchNames()
    {
        using var m = new Gru(In: 3, Hidden: 4).Build();
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"], m.state_dict().Keys);
        using var x = randn(2, 5, 3);
        var (output, state) = m.forward(x, null);
        using (output) using (state) Assert.Equal(new long[] { 2, 5, 4 }, output.shape);
    }

    [Fact]
    public void EmbeddingAndLayerNorm()
    {
        using var e = new Embedding(Count: 7, Dim: 3, PaddingIdx: 0).Build();
        using var ids = tensor(new long[] { 0, 6 });
        using var v = e.forward(ids);
        Assert.Equal(new long[] { 2, 3 }, v.shape);
        Assert.Equal(0f, v[0].abs().sum().item<float>());
        using var n = new LayerNorm(3).Build();
        Assert.Equal(1e-12, n.eps);
        Assert.Equal(["weight", "bias"], n.state_dict().Keys);
    }
}
