using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Layers;

/// <summary>Moving a built module (dtype here; device on a GPU machine) keeps its fields in sync with its registered tensors.</summary>
public class DeviceMoveTests
{
    [Fact]
    public void BuffersAndParametersFollowAConversion()
    {
        using var m = new SampleStack(10, 4, 1).Build();
        m.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, m.named_buffers().Single(b => b.name == "blocks.0.scale").buffer.dtype);
        Assert.Equal(ScalarType.Float64, m.Blocks[0].Scale.dtype);
        Assert.Equal(ScalarType.Float64, m.Bias.dtype);
        Assert.Equal(ScalarType.Float64, m.Blocks[0].Mlp.Fc1.weight!.dtype);
        using var items = tensor(new long[] { 1, 2, 3 }).reshape(1, 3);
        using var y = m.forward(items);
        Assert.Equal(ScalarType.Float64, y.dtype);
    }
}
