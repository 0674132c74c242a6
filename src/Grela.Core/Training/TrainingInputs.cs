using Grela.Data;
using Grela.Models;

namespace Grela.Training;

/// <summary>
/// The training data as the trainer sees it: a fixed number of batches per epoch, whose order is a
/// pure function of (seed, epoch). That makes the data-order position of a checkpoint just
/// (epoch, batch index), so a resumed run sees exactly the batches an uninterrupted one would.
/// </summary>
public interface ITrainingBatches
{
    /// <summary>How the batches are laid out (prefix samples or all positions).</summary>
    TrainingStyle Style { get; }
    int BatchesPerEpoch { get; }
    /// <summary>Training rows (prefixes or windows) in one epoch.</summary>
    long SamplesPerEpoch { get; }
    /// <summary>Training targets in one epoch (one per prefix; one per real position of a window).</summary>
    long TargetsPerEpoch { get; }
    /// <summary>
    /// The batches of <paramref name="epoch"/> from index <paramref name="skip"/> on. The returned batch
    /// object may be reused between iterations: read it before asking for the next.
    /// </summary>
    IEnumerable<SequenceBatch> Epoch(int epoch, int skip);
}

/// <summary>Scores the model on held-out data (validation during training, test at the end).</summary>
public interface IRankingEvaluator
{
    /// <summary>Metric name (HR@10, NDCG@10, ...) to value. Must not change the model or consume randomness.</summary>
    IReadOnlyDictionary<string, double> Evaluate(ISequentialModel model);
}

/// <summary>What the trainer tells the shell while it runs (progress bars, logs).</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int totalEpochs, int batches, int startBatch);
    void StepCompleted(StepReport step);
    void EpochCompleted(EpochRecord record, bool improved);
    void Message(string text);
}

/// <summary>One optimisation step: its loss, the running mean of the epoch, and the speed so far.</summary>
public sealed record StepReport(int Epoch, int Batch, int Batches, long Step, double Loss, double EpochMeanLoss, double SamplesPerSecond);

/// <summary>An observer that ignores everything (tests, JSON-only runs without a console).</summary>
public sealed class SilentObserver : ITrainingObserver
{
    public static readonly SilentObserver Instance = new();
    public void EpochStarted(int epoch, int totalEpochs, int batches, int startBatch) { }
    public void StepCompleted(StepReport step) { }
    public void EpochCompleted(EpochRecord record, bool improved) { }
    public void Message(string text) { }
}
