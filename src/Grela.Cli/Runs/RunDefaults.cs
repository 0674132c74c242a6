using Grela.Runs;
using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>
/// Defaults under the config file and the command line: the model's own
/// (<see cref="IModelFactory.Defaults"/> of its <see cref="ModelRegistry"/> entry), then, on the
/// built-in synthetic dataset (no --data, or --data synthetic:...), a small budget of epochs, batch
/// size and window so that `grela train` with no options finishes in about 75 s on 2 cores.
/// </summary>
internal static class RunDefaults
{
    /// <summary>Epochs when training on the built-in synthetic dataset (measured: see docs/cli.md).</summary>
    public const int SyntheticEpochs = 8;
    /// <summary>Batch size on the synthetic dataset: 1,000 users make 8 steps per epoch instead of 1.</summary>
    public const int SyntheticBatchSize = 128;
    /// <summary>Window on the synthetic dataset: its sequences hold at most 100 items.</summary>
    public const int SyntheticMaxLen = 100;
    /// <summary>Warm-up steps on the synthetic dataset (one epoch of 8 batches).</summary>
    public const int SyntheticWarmupSteps = 8;

    /// <summary>The defaults of <paramref name="model"/> (a name of <see cref="ModelRegistry.Names"/>), with the synthetic budget when <paramref name="synthetic"/>.</summary>
    public static TrainingConfig For(string model, Models.RecGrela.AttentionMode attention, bool synthetic)
    {
        var config = ModelRegistry.Get(model).Defaults(attention);
        if (synthetic)
            config = config with
            {
                Epochs = SyntheticEpochs, BatchSize = SyntheticBatchSize, MaxLen = SyntheticMaxLen,
                // 1,000 users in batches of 128 make 8 steps an epoch: warm up over the first epoch.
                WarmupSteps = Math.Min(config.WarmupSteps, SyntheticWarmupSteps),
            };
        return config;
    }

    /// <summary>
    /// Resolves defaults, then <paramref name="sources"/> in order (later wins). The model and dataset
    /// are read first because they choose the defaults.
    /// </summary>
    public static TrainingConfig Resolve(params ConfigSource[] sources)
    {
        // Only the keys that choose the defaults: a rule across keys (batch-targets needs length
        // buckets) holds or fails against the model's defaults, not the bare record's.
        string[] choosing = ["model", "attention", "data"];
        var chooser = sources.Select(s => s with { Values = [.. s.Values.Where(v => choosing.Contains(ConfigCatalogue.Find(v.Key)?.Name))] }).ToArray();
        var probe = ConfigResolution.Resolve(new TrainingConfig(), chooser).Match(c => c, errors => throw Invalid(errors));
        var synthetic = probe.Data is null || Data.Synthetic.SyntheticSpec.IsSynthetic(probe.Data);
        return ConfigResolution.Resolve(For(probe.Model, probe.AttentionMode, synthetic), sources).Match(c => c, errors => throw Invalid(errors));
    }

    internal static Errors.UserInputException Invalid(LanguageExt.Seq<string> errors) =>
        new(string.Join(Environment.NewLine, errors));
}
