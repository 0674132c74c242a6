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

    public void Save(CheckpointKind kind, TrainingProgress progress) =>
        CheckpointFile.Capture(Header(progress), model.Module, optimizer, average).Write(folder.Checkpoint(kind));

    /// <summary>Writes the state at the end of the epoch just closed to its own file under epochs/ (`keep-epochs`).</summary>
    public void SaveEpoch(TrainingProgress progress)
    {
        Directory.CreateDirectory(folder.Epochs);
        CheckpointFile.Capture(Header(progress), model.Module, optimizer, average).Write(folder.EpochCheckpoint(progress.History.Count - 1));
    }
}
