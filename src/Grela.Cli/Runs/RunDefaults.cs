using Grela.Runs;
using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>
/// Defaults under the config file and the command line. RecGRELA's are the official configuration
/// (the <see cref="TrainingConfig"/> initialisers); each baseline takes its own width, depth and
/// heads (<see cref="Models.Baselines.BaselineModels.Defaults"/>) and the paper's shared dropout 0.2.
/// Causal RecGRELA (the default) trains with its own measured recipe (<see cref="CausalRecipe"/>).
/// On the built-in synthetic dataset (no --data, or --data synthetic:...) epochs, batch size and
/// window are small so that `grela train` with no options finishes in about a minute on 2 cores.
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

    /// <summary>
    /// Batch size of the baselines in causal mode, where a sample is a whole sequence with up to
    /// max-len targets (the official 2048 counts prefix samples of one target each).
    /// </summary>
    public const int CausalBatchSize = 128;

    /// <summary>
    /// Causal RecGRELA's training recipe, chosen by the ML-1M runs in docs/accuracy.md: batches of 32
    /// sequences (about 3,600 targets, near the official step of 2,048 prefixes) at a higher learning
    /// rate with warm-up, gradient clipping and a cosine decay to a tenth over the planned epochs,
    /// length-bucketed batches without their trailing padding (about 40% less work), and every
    /// window of a long history. On ML-1M an epoch takes 1.5 (AMD EPYC) to 2.3 (Xeon 2.8 GHz) minutes
    /// on 2 CPU cores: 36 epochs end the decay inside an hour on the first; on the second an hour
    /// stops the plan near epoch 25, where the first machine's run stood level on validation with a
    /// 22-epoch plan that ends its decay in time (docs/accuracy.md, run default-22).
    /// </summary>
    public static TrainingConfig CausalRecipe(TrainingConfig config) => config with
    {
        Epochs = 36,
        BatchSize = 32,
        Lr = 3e-3,
        LrSchedule = "cosine",
        WarmupSteps = 200,
        LrFloor = 0.1,
        ClipNorm = 1,
        LengthBuckets = 16,
        Windows = "all",
    };

    public static TrainingConfig For(string model, Models.RecGrela.AttentionMode attention, bool synthetic)
    {
        var config = new TrainingConfig { Model = model };
        if (attention == Models.RecGrela.AttentionMode.Causal)
            config = model == "recgrela" ? CausalRecipe(config) : config with { BatchSize = CausalBatchSize };
        if (Models.Baselines.BaselineModels.Names.Contains(model))
        {
            var defaults = Models.Baselines.BaselineModels.Defaults(model);
            config = config with { Dim = defaults.Hidden, Layers = defaults.Layers, Heads = defaults.Heads, Dropout = 0.2, DropPath = 0 };
        }
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
        var probe = ConfigResolution.Resolve(new TrainingConfig(), sources).Match(c => c, errors => throw Invalid(errors));
        var synthetic = probe.Data is null || Data.Synthetic.SyntheticSpec.IsSynthetic(probe.Data);
        return ConfigResolution.Resolve(For(probe.Model, probe.AttentionMode, synthetic), sources).Match(c => c, errors => throw Invalid(errors));
    }

    internal static Errors.UserInputException Invalid(LanguageExt.Seq<string> errors) =>
        new(string.Join(Environment.NewLine, errors));
}
