namespace Grela.Cli.Bench;

/// <summary>How one (model, length) case ended.</summary>
public enum CaseStatus { Ok, OutOfMemory, Timeout, Failed, Skipped }

/// <summary>
/// One measured case of `grela bench speed`. Times are medians over the measured steps, after
/// warm-up; memory is the peak resident set of the process that ran only this case (CPU) or the
/// allocator peak (GPU).
/// </summary>
public sealed record SpeedCase(
    string Model,
    string Attention,
    int Length,
    int BatchSize,
    int Dim,
    int Items,
    string Device,
    CaseStatus Status,
    double? TrainStepSeconds,
    double? InferSeconds,
    double? SamplesPerSecond,
    double? PeakMemoryMb,
    string? Note);

/// <summary>
/// One batch size of `grela bench stream --users`: the cost per event of one torch streaming step +
/// scores for that many users at once (what batching concurrent requests would buy), next to the
/// managed engine's cost per event, which steps users one at a time.
/// </summary>
public sealed record StreamBatchCase(int Users, double TorchMillisecondsPerEvent, double? ManagedMillisecondsPerEvent, int Repeats);

/// <summary>
/// One measured history length of `grela bench stream`: the torch streaming update + scores, the
/// recompute, and the same update + scores by the managed CPU engine that `grela serve` runs in float32
/// (null where the model is not float32 on the CPU).
/// </summary>
public sealed record StreamCase(
    int History,
    double UpdateMilliseconds,
    double RecomputeMilliseconds,
    double Speedup,
    int Repeats,
    double? ManagedUpdateMilliseconds = null);
