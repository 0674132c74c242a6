using Grela.Models;

namespace Grela.Training;

/// <summary>
/// How many rows one forward/backward pass takes. Activations grow with rows x window and the
/// full-sort logits with scored positions x items; past a few hundred windows of 200 a CPU step
/// gets slower per sample (page faults, cache misses) as well as bigger, so batches are split and
/// their gradients summed (see <see cref="Trainer"/>).
/// </summary>
public static class MicroBatching
{
    /// <summary>Window positions per pass: 256 windows of 200.</summary>
    public const long PositionBudget = 256 * 200;
    /// <summary>
    /// Whether a pass of <paramref name="rows"/> windows of <paramref name="window"/> stays within
    /// <see cref="PositionBudget"/>: small enough that keeping freed heap memory (instead of
    /// re-mapping it every step) speeds steps without growing the resident high-water mark by GBs.
    /// </summary>
    public static bool IsBounded(long rows, long window) => rows * window <= PositionBudget;

    /// <summary>Logit entries per pass (positions scored x items): 256 MB of float32.</summary>
    public const long LogitBudget = 64L * 1024 * 1024;

    /// <summary>
    /// The rows per pass: <paramref name="requested"/> when positive, else the largest count within
    /// both budgets (at least 1), never more than the batch.
    /// </summary>
    public static int Rows(int requested, int batchSize, int window, TrainingStyle style, int items)
    {
        if (requested > 0) return Math.Min(requested, batchSize);
        long scoredPerRow = style == TrainingStyle.AllPositions ? window : 1;
        var rows = Math.Min(PositionBudget / Math.Max(window, 1), LogitBudget / Math.Max(scoredPerRow * items, 1));
        return (int)Math.Clamp(rows, 1, batchSize);
    }
}
