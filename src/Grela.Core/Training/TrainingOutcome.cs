namespace Grela.Training;

/// <summary>How a training loop ended.</summary>
public enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    Completed,
    /// <summary>Validation NDCG@10 did not improve for `patience` epochs.</summary>
    EarlyStopped,
    /// <summary>Cancelled (Ctrl-C): the current step finished and `last` was written.</summary>
    Interrupted,
    /// <summary>The loss became NaN or infinite; the last good checkpoint is kept.</summary>
    Diverged,
    /// <summary>libtorch failed, and again when retried (or where nothing could be retried); the last good checkpoint is kept.</summary>
    Failed,
}

/// <summary>The end state of a training loop and a sentence for the user.</summary>
public sealed record TrainingOutcome(StopReason Reason, TrainingProgress Progress, string Message);

/// <summary>Which checkpoint of a run folder.</summary>
public enum CheckpointKind { Best, Last }

/// <summary>Receives the trainer's requests to persist its state (model, optimizer, RNG, progress).</summary>
public interface ICheckpointSink
{
    void Save(CheckpointKind kind, TrainingProgress progress);
}
