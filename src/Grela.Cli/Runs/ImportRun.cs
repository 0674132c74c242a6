using System.Collections.Immutable;
using Grela.Cli.Shell;
using Spectre.Console;
using Grela.Errors;
using Grela.Training;
using TorchSharp;

namespace Grela.Cli.Runs;

/// <summary>
/// `grela import`: reference weights become a run folder (config.json + best.ckpt) that recommend and
/// evaluate accept. With --data the run takes that dataset's vocabulary; without, ids stay integers.
/// </summary>
internal static class ImportRun
{
    public static RunFolder Execute(string weights, ConfigSource[] sources, string outDir, CliOutput output)
    {
        var format = WeightFiles.Detect(weights);
        var config = RunDefaults.Resolve(sources);
        var factory = ModelCatalogue.Get(config.Model);
        var data = config.Data is null ? null : RunDataLoader.Load(config, output);
        var itemCount = ItemCount(weights, format, factory, data);
        var device = DeviceSelection.Select(config.Device);
        DeviceSelection.ApplyThreads(config.Threads);
        var folder = new RunFolder(outDir);

        torch.manual_seed(config.Seed);
        using var model = factory.Create(config, itemCount, device.Device);
        WeightFiles.Load(model.Module, format, weights);
        var hash = ModelFingerprint.Of(factory.Describe(config, itemCount), model.Module);
        var summary = data?.Summary ?? new DatasetInfo("imported", 0, itemCount - 1, 0);
        var tokens = data?.ItemTokens ?? ImmutableArray<string>.Empty;
        folder.CreateNew();
        AtomicFile.WriteAllText(folder.Config, ConfigJson.ToText(config) + "\n");
        new CheckpointStore(folder, config, hash, summary, tokens, model, optimizer: null).Save(CheckpointKind.Best, TrainingProgress.Start);
        output.Human.MarkupLine(Markup.Escape(
            $"imported {config.Model} ({itemCount - 1} items, {model.Module.state_dict().Count} tensors) from {weights} into {folder.Root}" +
            (data is null ? "; no dataset: recommend takes integer item ids" : $"; ids from {data.Summary.Name}")));
        return folder;
    }

    private static int ItemCount(string weights, WeightFormat format, IModelFactory factory, IRunData? data)
    {
        if (format == WeightFormat.Safetensors)
        {
            var shapes = WeightFiles.SafetensorsShapes(weights);
            if (!shapes.TryGetValue(factory.ItemEmbeddingKey, out var shape) || shape.Length != 2)
                throw new UserInputException($"--weights {weights}: no 2-D \"{factory.ItemEmbeddingKey}\" tensor, so this is not a {factory.Name} state dict");
            if (data is not null && data.ItemCount != shape[0])
                throw new UserInputException($"--weights {weights}: the model scores {shape[0] - 1} items, but --data {data.Summary.Name} has {data.ItemCount - 1}");
            return checked((int)shape[0]);
        }
        return data?.ItemCount
            ?? throw new UserInputException(
                $"--weights {weights}: a .pt file needs --data to know the item count (or export it as safetensors, whose header states it)");
    }
}
