using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>What `grela evaluate` was asked: an opened run, and optionally another interaction file with its format keys.</summary>
internal sealed record EvaluateRequest(LoadedRun Run, string? Data, ConfigSource Format);

/// <summary>The run's model on a dataset: validation and test metrics of its best checkpoint.</summary>
internal sealed record EvaluateResult(string Model, DatasetInfo Dataset, IReadOnlyDictionary<string, double> Valid, IReadOnlyDictionary<string, double> Test);

/// <summary>
/// `grela evaluate`: the run's best checkpoint ranked on its own dataset, or on another file whose
/// items keep the run's ids (full ranking, validation and test). Rendering is the command's.
/// </summary>
internal static class EvaluateRun
{
    public static EvaluateResult Execute(EvaluateRequest request, CliOutput output)
    {
        var loaded = request.Run;
        var config = loaded.Config;
        if (request.Data is { } path)
            config = ConfigResolution.Resolve(config with { Data = path }, request.Format).Match(c => c, errors => throw RunDefaults.Invalid(errors));
        else if (loaded.Header.Dataset.Users == 0)
            throw new UserInputException($"--run {loaded.Folder.Root}: the run was imported without a dataset; give --data PATH to evaluate it");
        var dataset = RunDataLoader.Load(config, output);
        if (dataset.ItemCount != loaded.ItemCount)
            throw new UserInputException($"--data {config.Data ?? "(synthetic)"}: {dataset.Summary.Items} items, but the model of {loaded.Folder.Root} scores {loaded.ItemCount - 1} items");
        // Another file may be evaluated, but never with the ids of the run's items moved to other items.
        if (request.Data is not null && DatasetInfo.MovedIds(loaded.Header.ItemTokens, dataset.ItemTokens) is { } moved)
            throw new UserInputException($"--data {config.Data}: {moved}; the model's embeddings belong to the run's items");
        if (request.Data is null && loaded.Header.Dataset.Differences(loaded.Header.ItemTokens, dataset.Summary, dataset.ItemTokens) is { Count: > 0 } changes)
            throw new UserInputException($"the run's dataset changed: trained on {loaded.Header.Dataset}; now: {string.Join("; ", changes)}");
        var valid = dataset.Evaluator(HeldOut.Valid, loaded.Device.Device).Evaluate(loaded.Model);
        var test = dataset.Evaluator(HeldOut.Test, loaded.Device.Device).Evaluate(loaded.Model);
        return new EvaluateResult(config.Model, dataset.Summary, valid, test);
    }
}
