using Grela.Errors;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>
/// The models grela can build, by name: every name of <see cref="ConfigCatalogue.Models"/>.
/// </summary>
internal static class ModelCatalogue
{
    private static readonly IReadOnlyList<IModelFactory> Available =
        [new RecGrelaFactory(), .. Models.Baselines.BaselineModels.Names.Select(n => new BaselineFactory(n))];

    public static IReadOnlyList<string> AvailableNames => [.. Available.Select(f => f.Name)];

    public static IModelFactory Get(string name) =>
        Available.FirstOrDefault(f => f.Name == name)
        ?? throw new UserInputException($"--model {name}: unknown model (expected one of {string.Join('|', ConfigCatalogue.Models)})");
}
