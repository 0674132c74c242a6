using Grela.Cli.Runs;
using Grela.Runs;

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
    public void Causal_recgrela_gets_its_measured_recipe_and_baselines_keep_theirs()
    {
        var config = RunDefaults.Resolve(Given(("data", "ml-1m.inter")));
        Assert.Equal(("causal", 32, 26, 3e-3, "cosine", 200, 1.0, 16, "all"),
            (config.Attention, config.BatchSize, config.Epochs, config.Lr, config.LrSchedule, config.WarmupSteps, config.ClipNorm, config.LengthBuckets, config.Windows));
        // A weight average over the 26-epoch plan (runs e26ema and e26s21); the official recipes keep none.
        Assert.Equal(0.999, config.EmaDecay);
        // Wider than the official D 64 (docs/accuracy.md, "Width") with more dropout (run do2-20); everything else as the official model.
        Assert.Equal((128, 4, 4, 200, 0.2, 0.1, 0), (config.Dim, config.Heads, config.Layers, config.MaxLen, config.Dropout, config.DropPath, config.Registers));
        Assert.Equal(("sequence", 0), (config.DropPathDraw, config.Workers));
        Assert.False(RecGrelaFactory.Spec(config, 100).DropPathPerPosition);
        Assert.True(RecGrelaFactory.Spec(config with { DropPathDraw = "position" }, 100).DropPathPerPosition);
        var sasrec = RunDefaults.Resolve(Given(("data", "ml-1m.inter"), ("model", "sasrec")));
        Assert.Equal((BaselineFactory.CausalBatchSize, 300, 1e-3, "constant", 0, 0.0, 0),
            (sasrec.BatchSize, sasrec.Epochs, sasrec.Lr, sasrec.LrSchedule, sasrec.WarmupSteps, sasrec.ClipNorm, sasrec.LengthBuckets));
        var global = RunDefaults.Resolve(Given(("data", "ml-1m.inter"), ("attention", "global")));
        Assert.Equal(("constant", 0, 0.0, 0.0), (global.LrSchedule, global.WarmupSteps, global.ClipNorm, global.EmaDecay));
        Assert.Equal(0.0, sasrec.EmaDecay);
    }

    [Fact]
    public void The_synthetic_dataset_gets_a_short_budget_that_explicit_values_still_override()
    {
        var synthetic = RunDefaults.Resolve();
        Assert.Equal((RunDefaults.SyntheticEpochs, RunDefaults.SyntheticBatchSize, RunDefaults.SyntheticMaxLen, RunDefaults.SyntheticWarmupSteps),
            (synthetic.Epochs, synthetic.BatchSize, synthetic.MaxLen, synthetic.WarmupSteps));
        var file = new ConfigSource("config file c.yaml", [new("epochs", RawValue.Of(4)), new("max-len", RawValue.Of(50))]);
        var overridden = RunDefaults.Resolve(file, new ConfigSource("command line", [new("epochs", RawValue.Of(2))]));
        Assert.Equal((2, 50), (overridden.Epochs, overridden.MaxLen));
    }

    [Fact]
    public void A_baseline_takes_its_own_width_depth_and_heads_and_dropout_0_2()
    {
        var linrec = RunDefaults.Resolve(Given(("model", "linrec"), ("data", "ml-1m.inter")));
        Assert.Equal((128, 2, 8, 0.2), (linrec.Dim, linrec.Layers, linrec.Heads, linrec.Dropout));
        var sasrec = RunDefaults.Resolve(Given(("model", "sasrec"), ("data", "ml-1m.inter")), new ConfigSource("command line", [new("heads", RawValue.Of(4))]));
        Assert.Equal((64, 2, 4), (sasrec.Dim, sasrec.Layers, sasrec.Heads));
    }
}
