using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>
/// One share of a step's gradient: backward over micro-batches of at most <c>microRows</c> rows,
/// each micro-batch's mean loss weighted by its share of the step's <c>total</c> targets, so that
/// shares computed apart (micro-batches, or the rows a gradient worker took) sum to the step's
/// gradient. The trainer and a gradient worker run exactly this.
/// </summary>
public static class GradientPass
{
    /// <summary>
    /// Accumulates into the parameters' .grad and returns the weighted loss; a non-finite micro-batch
    /// loss is returned before its backward; a stop request between micro-batches abandons the pass (null).
    /// </summary>
    public static double? Accumulate(ISequentialModel model, Tensor items, Tensor lengths, Tensor targets, TrainingStyle style,
        int microRows, double total, CancellationToken cancel)
    {
        var rows = items.shape[0];
        var micro = microRows <= 0 ? rows : Math.Min(rows, microRows);
        double value = 0;
        for (long start = 0; start < rows; start += micro)
        {
            if (start > 0 && cancel.IsCancellationRequested)
                return null;
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(micro, rows - start);
            var chunkTargets = targets.narrow(0, start, count);
            var share = TargetCount(chunkTargets, style) / total;
            if (share == 0)
                continue;
            var loss = model.Loss(items.narrow(0, start, count), lengths.narrow(0, start, count), chunkTargets, style);
            var chunkValue = loss.item<float>();
            if (!float.IsFinite(chunkValue))
                return chunkValue;
            value += share * chunkValue;
            (loss * share).backward();
        }
        return value;
    }

    /// <summary>Targets in a batch: one per row (prefixes) or one per non-zero entry (all positions).</summary>
    public static double TargetCount(Tensor targets, TrainingStyle style) =>
        style == TrainingStyle.AllPositions ? targets.count_nonzero().item<long>() : targets.shape[0];
}
