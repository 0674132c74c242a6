using Grela.Errors;
using Grela.Models.Baselines;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>
/// The model registry: one <see cref="IModelFactory"/> entry per model grela trains, in the order
/// the command line lists them (<see cref="ConfigCatalogue.Models"/>, which a test holds equal to
/// <see cref="Names"/>). Each entry owns its name, its defaults, its spec mapping, its training style,
/// its memory facts and its weight files. It lives in the CLI, not in Core, because the entries read
/// and write weight files (<see cref="WeightFiles"/>, <see cref="TorchPickleShapes"/>, safetensors
/// metadata), which are the CLI's formats; Core keeps only the names its config validation needs,
/// derived from the models' own lists.
/// </summary>
internal static class ModelRegistry
{
    /// <summary>Every entry, in the user-visible order: RecGRELA, then each baseline of <see cref="BaselineModels.Names"/>.</summary>
    public static IReadOnlyList<IModelFactory> Entries { get; } =
        [new RecGrelaFactory(), .. BaselineModels.Names.Select(n => new BaselineFactory(n))];

    /// <summary>The entries' names, in order: what "expected one of" lists.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Select(f => f.Name)];

    public static IModelFactory Get(string name) =>
        Entries.FirstOrDefault(f => f.Name == name)
        ?? throw new UserInputException($"--model {name}: unknown model (expected one of {string.Join('|', Names)})");
}
