using System.Collections.Immutable;
using Grela.Models;
using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// Writes a run's `best` and `last` checkpoints (<see cref="RunFolder"/>) for the trainer: the fixed
/// part of the header (config, model hash, dataset, vocabulary) plus the progress of the moment, and
/// the trainer's weight average when it keeps one.
/// </summary>
public sealed class CheckpointStore(
    RunFolder folder,
    TrainingConfig config,
    string modelHash,
    DatasetInfo dataset,
    ImmutableArray<string> itemTokens,
    ISequentialModel model,
    TorchSharp.Modules.OptimizerHelper? optimizer,
    WeightAverage? average = null) : ICheckpointSink
{
    public CheckpointHeader Header(TrainingProgress progress) => new(config, modelHash, dataset, itemTokens, progress);

    public void Save(CheckpointKind kind, TrainingProgress progress) => Save(kind, progress, keepEpoch: false);

    /// <summary>
    /// Writes the checkpoint; with <paramref name="keepEpoch"/> the same captured state is also written
    /// as the file of the epoch just closed under epochs/ (`keep-epochs`), so it is captured once.
    /// </summary>
    public void Save(CheckpointKind kind, TrainingProgress progress, bool keepEpoch)
    {
        var file = CheckpointFile.Capture(Header(progress), model.Module, optimizer, average);
        file.Write(folder.Checkpoint(kind));
        if (!keepEpoch)
            return;
        Directory.CreateDirectory(folder.Epochs);
        file.Write(folder.EpochCheckpoint(progress.History.Count - 1));
    }
}
