using Grela.Cli.Runs;
using Grela.Training;

namespace Grela.Tests.Cli;

public sealed class RunDefaultsTests
{
    private static ConfigSource Given(params (string Key, string Value)[] values) =>
        new("command line", [.. values.Select(v => new KeyValuePair<string, RawValue>(v.Key, RawValue.Of(v.Value)))]);

    [Fact]
    public void Real_data_in_global_mode_gets_the_official_configuration()
    {
        var config = RunDefaults.Resolve(Given(("data", "ml-1m.inter"), ("attention", "global")));
        Assert.Equal((64, 4, 4, 200, 2048, 300, 20), (config.Dim, config.Heads, config.Layers, config.MaxLen, config.BatchSize, config.Epochs, config.Patience));
        Assert.Equal((0.1, 0.1, 1e-3, 2020L), (config.Dropout, config.DropPath, config.Lr, config.Seed));
    }

    [Fact]
    public void Causal_mode_counts_its_default_batch_in_sequences()
    {
        var config = RunDefaults.Resolve(Given(("data", "ml-1m.inter")));
        Assert.Equal(("causal", RunDefaults.CausalBatchSize, 300), (config.Attention, config.BatchSize, config.Epochs));
    }

    [Fact]
    public void The_synthetic_dataset_gets_a_short_budget_that_explicit_values_still_override()
    {
        var synthetic = RunDefaults.Resolve();
        Assert.Equal((RunDefaults.SyntheticEpochs, RunDefaults.SyntheticBatchSize, RunDefaults.SyntheticMaxLen), (synthetic.Epochs, synthetic.BatchSize, synthetic.MaxLen));
        var file = new ConfigSource("config file c.yaml", [new("epochs", RawValue.Of(4)), new("max-len", RawValue.Of(50))]);
        var overridden = RunDefaults.Resolve(file, new ConfigSource("command line", [new("epochs", RawValue.Of(2))]));
        Assert.Equal((2, 50), (overridden.Epochs, overridden.MaxLen));
    }

    [Fact]
    public void Every_catalogued_model_name_is_accepted_but_unbuilt_ones_are_not_available_yet()
    {
        Assert.Equal("recgrela", ModelCatalogue.Get("recgrela").Name);
        foreach (var name in ConfigCatalogue.Models.Except(ModelCatalogue.AvailableNames))
            Assert.Contains("not available yet", Assert.Throws<Errors.UserInputException>(() => ModelCatalogue.Get(name)).Message);
    }
}
