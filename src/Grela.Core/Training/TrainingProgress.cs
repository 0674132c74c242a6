using System.Collections.Immutable;

namespace Grela.Training;

/// <summary>
/// Where a run stands: everything besides tensors that a checkpoint must carry so that a resumed run
/// ends exactly as an uninterrupted one. <see cref="Epoch"/> is the epoch in progress (or the next to
/// start) and <see cref="BatchInEpoch"/> how many of its batches are done: together the data-order
/// position. The running loss sums make a resumed epoch report the same mean loss.
/// </summary>
public sealed record TrainingProgress(
    int Epoch,
    int BatchInEpoch,
    long Step,
    double EpochLossSum,
    int EpochLossCount,
    double BestMetric,
    int BestEpoch,
    int EpochsWithoutImprovement,
    ImmutableList<EpochRecord> History)
{
    /// <summary>A run that has not started: no best yet (-inf, epoch -1).</summary>
    public static TrainingProgress Start { get; } = new(0, 0, 0, 0, 0, double.NegativeInfinity, -1, 0, []);

    /// <summary>True once patience is used up.</summary>
    public bool PatienceExhausted(int patience) => EpochsWithoutImprovement >= patience;

    /// <summary>
    /// Closes an epoch with its validation metric: the early-stopping rule as a pure function. A
    /// metric improves only when strictly greater than the best so far (ties keep the earlier epoch).
    /// </summary>
    public (TrainingProgress Next, bool Improved) CloseEpoch(EpochRecord record, double metric)
    {
        var improved = metric > BestMetric;
        var next = this with
        {
            Epoch = Epoch + 1,
            BatchInEpoch = 0,
            EpochLossSum = 0,
            EpochLossCount = 0,
            BestMetric = improved ? metric : BestMetric,
            BestEpoch = improved ? Epoch : BestEpoch,
            EpochsWithoutImprovement = improved ? 0 : EpochsWithoutImprovement + 1,
            History = History.Add(record),
        };
        return (next, improved);
    }
}
