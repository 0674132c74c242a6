using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>
/// Defaults under the config file and the command line. RecGRELA's are the official configuration
/// (the <see cref="TrainingConfig"/> initialisers); the baselines use the paper's shared dropout 0.2.
/// On the built-in synthetic dataset the epoch budget is small so that `grela train` with no options
/// finishes in about a minute on 2 cores.
/// </summary>
internal static class RunDefaults
{
    /// <summary>Epochs when training on the built-in synthetic dataset (measured: see docs/cli.md).</summary>
    public const int SyntheticEpochs = 10;

    public static TrainingConfig For(string model, bool synthetic)
    {
        var config = new TrainingConfig { Model = model };
        if (model != "recgrela")
            config = config with { Dropout = 0.2, DropPath = 0 };
        if (synthetic)
            config = config with { Epochs = SyntheticEpochs };
        return config;
    }

    /// <summary>
    /// Resolves defaults, then <paramref name="sources"/> in order (later wins). The model and dataset
    /// are read first because they choose the defaults.
    /// </summary>
    public static TrainingConfig Resolve(params ConfigSource[] sources)
    {
        var probe = ConfigResolution.Resolve(new TrainingConfig(), sources).Match(c => c, errors => throw Invalid(errors));
        return ConfigResolution.Resolve(For(probe.Model, probe.Data is null), sources).Match(c => c, errors => throw Invalid(errors));
    }

    private static Errors.UserInputException Invalid(LanguageExt.Seq<string> errors) =>
        new(string.Join(Environment.NewLine, errors));
}
