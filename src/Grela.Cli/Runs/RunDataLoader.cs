using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>Loads the dataset a config names (a file, or the built-in synthetic dataset) and splits it.</summary>
internal static class RunDataLoader
{
    public static IRunData Load(TrainingConfig config, CliOutput output) =>
        throw new UserInputException("datasets are not available yet in this version of grela");
}
