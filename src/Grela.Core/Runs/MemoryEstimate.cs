using System.Globalization;
using Grela.Models;

namespace Grela.Runs;

/// <summary>
/// A rough upper estimate of what one training run holds at its peak, computed from the config
/// before the model is built, so that a window or batch that cannot fit is refused with the
/// numbers instead of growing until the kernel kills the process.
/// Parts (float32): weights, gradients and Adam's two moments, 4 x P with P ≈ N·D + L·16·D² + window·D;
/// activations kept for the backward pass, rows x window x D x L x 16 (measured: 256 x 200 x 64 x 4 blocks peaks near 1.4 GB with the logits),
/// plus rows x window x 2D x (L - 1) x 5 per summary slot (their weighted sums, prefix sums and quotients); the full-sort logits with
/// their softmax and gradient, 3 x scored positions x N; softmax attention maps where the model keeps
/// them (the softmaxAttention argument of <see cref="For"/>: sasrec), 3 x rows x H x window² x L.
/// </summary>
public sealed record MemoryEstimate(decimal StateBytes, decimal ActivationBytes, decimal LogitBytes, decimal AttentionBytes)
{
    public decimal Total => StateBytes + ActivationBytes + LogitBytes + AttentionBytes;

    /// <summary>The estimate for training config <paramref name="c"/> over <paramref name="itemCount"/> item ids (padding included).</summary>
    /// <param name="c">The resolved config: width, depth, heads and window.</param>
    /// <param name="itemCount">Item ids including padding (the logits' width N).</param>
    /// <param name="rowsPerPass">Rows of one forward/backward pass (the micro-batch).</param>
    /// <param name="style">All positions score a whole window per row; prefix samples one target each.</param>
    /// <param name="softmaxAttention">Whether the model keeps [rows, H, window, window] attention maps for the backward pass (softmax attention, as in SASRec).</param>
    public static MemoryEstimate For(TrainingConfig c, int itemCount, int rowsPerPass, TrainingStyle style, bool softmaxAttention)
    {
        decimal d = c.Dim, window = c.MaxLen, rows = rowsPerPass, layers = c.Layers;
        var parameters = itemCount * d + layers * 16 * d * d + window * d;
        var scored = style == TrainingStyle.AllPositions ? rows * window : rows;
        var attention = softmaxAttention ? 3 * rows * c.Heads * window * window * layers * 4 : 0;
        var slots = c.SummarySlots * rows * window * 2 * d * Math.Max(0, layers - 1) * 5 * 4;
        return new MemoryEstimate(16 * parameters, rows * window * d * layers * 16 * 4 + slots, 3 * scored * itemCount * 4, attention);
    }

    /// <summary>Memory this process may use: MemAvailable from /proc/meminfo, else what the GC reports as available.</summary>
    public static long Available()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                    return kb * 1024;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    public static string Gb(decimal bytes) => (bytes / (1024m * 1024 * 1024)).ToString("N1", CultureInfo.InvariantCulture) + " GB";

    public override string ToString() =>
        $"{Gb(Total)} (weights and optimizer {Gb(StateBytes)}, activations {Gb(ActivationBytes)}, logits {Gb(LogitBytes)}" +
        (AttentionBytes > 0 ? $", attention {Gb(AttentionBytes)})" : ")");
}
