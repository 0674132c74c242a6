using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Layers;

public class GeneratedModuleTests
{
    [Fact]
    public void MlpBuildsRunsAndHasPyTorchKeys()
    {
        using var m = new SampleMlp(8, 0.1).Build();
        using var x = randn(2, 5, 8);
        using var y = m.forward(x);
        Assert.Equal(new long[] { 2, 5, 8 }, y.shape);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], m.state_dict().Keys);
        Assert.Equal(new long[] { 32, 8 }, m.Fc1.weight.shape);
    }

    [Fact]
    public void LayerListRegistersItemsUnderIndexedKeys()
    {
        using var m = new SampleStack(Items: 10, Dim: 4, Depth: 2).Build();
        string[] expected =
        [
            "bias", "item_embedding.weight",
            "blocks.0.norm.weight", "blocks.0.norm.bias", "blocks.0.mlp.fc1.weight", "blocks.0.mlp.fc1.bias",
            "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias", "blocks.0.scale",
            "blocks.1.norm.weight", "blocks.1.norm.bias", "blocks.1.mlp.fc1.weight", "blocks.1.mlp.fc1.bias",
            "blocks.1.mlp.fc2.weight", "blocks.1.mlp.fc2.bias", "blocks.1.scale",
        ];
        Assert.Equal(expected.Order(), m.state_dict().Keys.Order());
        Assert.Equal(2, m.Blocks.Count);
        Assert.Equal("blocks[1].mlp", m.Blocks[1].Mlp.Path);
        Assert.Equal("blocks[1]", m.Blocks[1].Path);
        Assert.Equal("SampleStack", m.DisplayPath);
    }

    [Fact]
    public void AStateOnlyLayerRegistersItsBufferUnderItsNameAndHasNoForward()
    {
        using var rope = new Grela.Models.RecGrela.RotaryEncoding(MaxLength: 6, Dim: 4).Build();
        Assert.Equal(typeof(nn.Module), rope.GetType().BaseType);
        Assert.Equal(["rotations"], rope.state_dict().Keys);
        Assert.Equal(new long[] { 6, 2, 2 }, rope.Rotations.shape);
        // Its forwarded method reads the buffer.
        Assert.True(allclose(rope.TableFor(3), rope.Rotations.narrow(0, 0, 3), rtol: 0, atol: 0));

        using var attn = new Grela.Models.RecGrela.RelaAttention(4, 2, 6, Grela.Models.RecGrela.AttentionMode.Causal).Build();
        Assert.Contains("rope.rotations", attn.state_dict().Keys);
    }

    [Fact]
    public void BuffersAreNotTrainableAndParametersAre()
    {
        using var m = new SampleStack(10, 4, 1).Build();
        var trainable = m.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("bias", trainable);
        Assert.DoesNotContain("blocks.0.scale", trainable);
        Assert.Contains("blocks.0.scale", m.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void InitHookRunsAfterChildrenAreBuilt()
    {
        using var m = new SampleBlock(4, 2).Build();
        Assert.Equal(0f, m.Mlp.Fc2.weight.abs().sum().item<float>());
        // With fc2 zeroed the residual branch is 0 + bias 0, so the block is the identity.
        using var x = randn(3, 2, 4);
        using var y = m.forward(x);
        Assert.True(allclose(x, y));
    }

    [Fact]
    public void StackForwardRuns()
    {
        using var m = new SampleStack(10, 4, 2).Build();
        using var items = tensor(new long[] { 0, 1, 2, 3, 4, 5 }).reshape(2, 3);
        using var y = m.forward(items);
        Assert.Equal(new long[] { 2, 3, 4 }, y.shape);
    }
}
