using Grela.Cli.Shell;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>Loads the dataset a config names (a file, or the built-in synthetic dataset) and splits it.</summary>
internal static class RunDataLoader
{
    public static IRunData Load(TrainingConfig config, CliOutput output)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = RunData.Load(config);
        output.Note($"loaded {data.Summary} in {clock.Elapsed.TotalSeconds:F1} s");
        return data;
    }
}
