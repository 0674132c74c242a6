using Grela.Cli.Bench;
using Grela.Cli.Runs;
using Grela.Runs;
using TorchSharp;

namespace Grela.Tests.Bench;

/// <summary>The bench must measure the models `grela train` trains, not look-alikes.</summary>
public sealed class BenchModelsTests
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var model in ConfigCatalogue.Models)
            foreach (var attention in ConfigCatalogue.AttentionModes)
                cases.Add(model, attention);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bench_and_train_build_the_same_model(string model, string attention)
    {
        var train = RunDefaults.Resolve(new ConfigSource("command line",
            [new("data", RawValue.Of("ml-1m.inter")), new("model", RawValue.Of(model)), new("attention", RawValue.Of(attention)), new("max-len", RawValue.Of(50))]));
        var bench = BenchModels.Config(model, attention, length: 50);
        Assert.Equal((train.Model, train.Attention, train.Dim, train.Layers, train.Heads, train.MaxLen, train.Dropout, train.DropPath, train.Registers),
            (bench.Model, bench.Attention, bench.Dim, bench.Layers, bench.Heads, bench.MaxLen, bench.Dropout, bench.DropPath, bench.Registers));

        using var trained = ModelRegistry.Get(model).Create(train, 30, torch.CPU);
        var (benched, style) = BenchModels.Build(new BenchModelRequest(model, attention, Items: 30, Dim: null, Length: 50, torch.CPU));
        using var _ = benched;
        Assert.Equal(Shapes(trained.Module), Shapes(benched.Module));
        Assert.Equal(ModelRegistry.Get(model).StyleFor(train), style);
    }

    [Fact]
    public void The_bench_SASRec_is_the_trained_one_two_blocks_of_two_heads()
    {
        var sasrec = BenchModels.Config("sasrec", "causal", length: 200);
        Assert.Equal((64, 2, 2, 0.2), (sasrec.Dim, sasrec.Layers, sasrec.Heads, sasrec.Dropout));
        Assert.Equal(128, BenchModels.DefaultDim("linrec", "causal"));
    }

    private static List<string> Shapes(torch.nn.Module module) =>
        [.. module.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{string.Join('x', p.Value.shape)}")];
}
