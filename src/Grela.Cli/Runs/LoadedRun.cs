using Grela.Errors;
using Grela.Host;
using Grela.Models;
using Grela.Runs;
using Grela.Training;

namespace Grela.Cli.Runs;

/// <summary>
/// A run folder opened for use: one checkpoint's header (the best one unless asked otherwise) and the
/// model rebuilt from the recorded config with the checkpoint's weights, in eval mode: its weight
/// average where training kept one (what validation chose it by), unless the training weights are asked for.
/// </summary>
internal sealed class LoadedRun : IDisposable
{
    private LoadedRun(RunFolder folder, CheckpointHeader header, ISequentialModel model, IModelFactory factory, DeviceChoice device, CheckpointWeights weights)
    {
        Weights = weights;
        Folder = folder;
        Header = header;
        Model = model;
        Factory = factory;
        Device = device;
    }

    public RunFolder Folder { get; }
    public CheckpointHeader Header { get; }
    public TrainingConfig Config => Header.Config;
    public ISequentialModel Model { get; }
    public IModelFactory Factory { get; }
    public DeviceChoice Device { get; }
    /// <summary>The checkpoint's weights the model holds: its average, or the training weights (the only ones of a run without an average).</summary>
    public CheckpointWeights Weights { get; }
    /// <summary>Item ids including padding, as the model was built.</summary>
    public int ItemCount => Header.Dataset.Items + 1;

    /// <summary>Opens DIR/best.ckpt (or DIR/last.ckpt); device and threads may be overridden for this use.</summary>
    public static LoadedRun Open(string directory, string? device = null, int? threads = null, CheckpointKind kind = CheckpointKind.Best,
        CheckpointWeights weights = CheckpointWeights.Average)
    {
        var folder = new RunFolder(directory);
        if (!Directory.Exists(folder.Root))
            throw new UserInputException($"--run {directory}: no such run folder");
        var path = folder.Checkpoint(kind);
        if (!File.Exists(path))
            throw new UserInputException(kind == CheckpointKind.Best
                ? $"--run {directory}: no best.ckpt in the folder (is it a grela run folder? an interrupted run has only last.ckpt: resume it first)"
                : $"--run {directory}: no last.ckpt in the folder (an imported run has only best.ckpt)");
        var checkpoint = CheckpointFile.Read(path);
        checkpoint.RequirePlausibleSize(path);
        var config = checkpoint.Header.Config;
        var factory = ModelRegistry.Get(config.Model);
        var choice = DeviceSelection.Select(device ?? config.Device);
        DeviceSelection.ApplyThreads(threads ?? config.Threads);
        var itemCount = checkpoint.Header.Dataset.Items + 1;
        var model = factory.Create(config, itemCount, choice.Device);
        try
        {
            var loaded = checkpoint.LoadWeights(model.Module, ModelFingerprint.Of(ModelFingerprint.Hyperparameters(config, itemCount), model.Module), path, weights);
            model.Module.eval();
            return new LoadedRun(folder, checkpoint.Header, model, factory, choice, loaded);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose() => Model.Dispose();
}
