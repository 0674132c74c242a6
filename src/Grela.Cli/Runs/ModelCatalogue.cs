using Grela.Errors;
using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>
/// The models grela can build, by name. Names the command line accepts but that are not built yet
/// (the baselines) are a clear "not available" error.
/// </summary>
internal static class ModelCatalogue
{
    private static readonly IReadOnlyList<IModelFactory> Available =
        [new RecGrelaFactory(), .. Models.Baselines.BaselineModels.Names.Select(n => new BaselineFactory(n))];

    public static IReadOnlyList<string> AvailableNames => [.. Available.Select(f => f.Name)];

    public static IModelFactory Get(string name) =>
        Available.FirstOrDefault(f => f.Name == name)
        ?? throw new UserInputException(ConfigCatalogue.Models.Contains(name)
            ? $"--model {name}: not available yet in this version of grela (available: {Describe()})"
            : $"--model {name}: unknown model (expected one of {string.Join('|', ConfigCatalogue.Models)})");

    private static string Describe() => Available.Count == 0 ? "none" : string.Join(", ", AvailableNames);
}
