using Grela.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Training;

[Collection(TorchSerial.Name)]
public sealed class WeightDecayTests
{
    private sealed class Block : nn.Module
    {
        public readonly TorchSharp.Modules.Embedding Items = nn.Embedding(5, 3);
        public readonly TorchSharp.Modules.Linear Proj = nn.Linear(3, 3);
        public readonly TorchSharp.Modules.LayerNorm Norm = nn.LayerNorm(3);
        public Block() : base("block") => RegisterComponents();
    }

    [Fact]
    public void Only_matrices_and_embeddings_decay_and_they_scale_by_one_minus_lr_times_rate()
    {
        torch.manual_seed(3);
        using var block = new Block();
        var decayed = WeightDecay.Decayed(block.parameters());
        Assert.Equal(2, decayed.Count);   // items.weight and proj.weight; proj.bias, norm.weight, norm.bias keep their scale
        var before = block.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        WeightDecay.Apply(decayed, lr: 0.1, rate: 2);

        foreach (var (name, parameter) in block.named_parameters())
        {
            var factor = name is "Items.weight" or "Proj.weight" ? 0.8 : 1.0;
            Assert.True(parameter.detach().allclose(before[name] * factor, rtol: 1e-6, atol: 1e-7), name);
        }
    }

    [Fact]
    public void A_rate_of_zero_changes_nothing()
    {
        torch.manual_seed(3);
        using var block = new Block();
        var before = block.parameters().Select(p => p.detach().clone()).ToArray();
        WeightDecay.Apply(WeightDecay.Decayed(block.parameters()), lr: 0.1, rate: 0);
        Assert.All(block.parameters().Zip(before), pair => Assert.True(pair.Item1.detach().equal(pair.Item2).all().item<bool>()));
    }
}
