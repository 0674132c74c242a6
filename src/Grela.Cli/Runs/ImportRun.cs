using System.Collections.Immutable;
using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Host;
using Grela.Runs;
using Grela.Training;
using TorchSharp;

namespace Grela.Cli.Runs;

/// <summary>What `grela import` was asked: a weight file, config sources (the config file, the command line) and the run folder to create.</summary>
internal sealed record ImportRequest(string Weights, IReadOnlyList<ConfigSource> Sources, string Out);

/// <summary>
/// The run folder made, its resolved config, the model's item count (padding excluded), its tensor
/// count, and the dataset whose ids it took (null: none, ids stay integers).
/// </summary>
internal sealed record ImportResult(RunFolder Folder, TrainingConfig Config, int Items, int Tensors, string? Dataset);

/// <summary>
/// `grela import`: reference weights become a run folder (config.json + best.ckpt) that recommend and
/// evaluate accept. What the weight file shows (shapes, grela's metadata) fills the config under
/// --config and the command line. With --data the run takes that dataset's vocabulary; without,
/// ids stay integers. Rendering is the command's.
/// </summary>
internal static class ImportRun
{
    public static ImportResult Execute(ImportRequest request, CliOutput output)
    {
        var (weights, sources, outDir) = (request.Weights, request.Sources, request.Out);
        var format = WeightFiles.Detect(weights);
        var folder = NewRunFolder.Check(new RunFolder(outDir));
        var model = RunDefaults.Resolve([.. sources]).Model;
        var factory = ModelRegistry.Get(model);
        var info = FileFault(weights, () => factory.Inspect(weights, format));
        var config = RunDefaults.Resolve([info.Config, .. sources]);
        // A causal model imported as global scores differently without any error: say what was assumed.
        foreach (var (key, why) in info.Assumed)
            if (!sources.Any(s => s.Values.Any(v => v.Key == key)))
                output.Warn($"--weights {weights}: {why} (--{key})");
        var data = config.Data is null ? null : RunDataLoader.Load(config, output);
        var itemCount = ItemCount(weights, info, data);
        var device = DeviceSelection.Select(config.Device);
        DeviceSelection.ApplyThreads(config.Threads);

        torch.manual_seed(config.Seed);
        using var built = factory.Create(config, itemCount, device.Device);
        FileFault(weights, () => { factory.Import(built, format, weights); return 0; });
        if (FiniteState.FirstNonFinite(built.Module) is { } bad)
            throw new UserInputException($"--weights {weights}: tensor \"{bad}\" holds NaN or infinite values; refusing to import it");
        var hash = ModelFingerprint.Of(ModelFingerprint.Hyperparameters(config, itemCount), built.Module);
        var summary = data?.Summary ?? new DatasetInfo("imported", 0, itemCount - 1, 0);
        var tokens = data?.ItemTokens ?? ImmutableArray<string>.Empty;
        folder.CreateNew();
        AtomicFile.WriteAllText(folder.Config, ConfigJson.ToText(config) + "\n");
        new CheckpointStore(folder, config, hash, summary, tokens, built, optimizer: null).Save(CheckpointKind.Best, TrainingProgress.Start);
        return new ImportResult(folder, config, itemCount - 1, built.Module.state_dict().Count, data?.Summary.Name);
    }

    /// <summary>A malformed weight file's faults (zip, stream, number format) are user errors naming the file.</summary>
    private static T FileFault<T>(string weights, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or System.Text.Json.JsonException)
        {
            throw new UserInputException($"--weights {weights}: malformed weight file ({e.Message})", e);
        }
    }

    private static int ItemCount(string weights, WeightsInfo info, IRunData? data)
    {
        if (data is not null && data.ItemCount != info.ItemCount)
            throw new UserInputException($"--weights {weights}: the model scores {info.ItemCount - 1} items, but --data {data.Summary.Name} has {data.ItemCount - 1}");
        return info.ItemCount;
    }
}
