namespace Grela.Training;

/// <summary>
/// One row of history.csv: the epoch (0-based), its mean training loss, validation metrics, wall time
/// and throughput. Times are not part of what makes two runs "the same".
/// </summary>
public sealed record EpochRecord(int Epoch, double Loss, IReadOnlyDictionary<string, double> Valid, double Seconds, double SamplesPerSecond)
{
    /// <summary>Optimizer steps taken by the end of this epoch, from the start of the run.</summary>
    public long Steps { get; init; }
    /// <summary>Learning rate of the epoch's last step.</summary>
    public double Lr { get; init; }
    /// <summary>Part of <see cref="Seconds"/> spent in validation (shown, not stored).</summary>
    public double ValidationSeconds { get; init; }
}
