namespace Grela.Data.Batching;

/// <summary>
/// Where a training run is in its data: the epoch and how many samples of that epoch were already
/// handed out. With the producer's seed it fixes the data order, so a checkpoint that stores it
/// resumes with exactly the batches an uninterrupted run would have seen.
/// </summary>
public readonly record struct BatchCursor(int Epoch, long Position);
