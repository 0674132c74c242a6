using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>
/// Item dropout, a training-only augmentation of the input histories: each real item but the last of
/// its row is replaced by padding with probability <c>rate</c>, so the positions after it read a
/// history without it; a position whose own item went predicts nothing in that step (its target is
/// cleared too where every position has one). In causal RecGRELA padding leaves every sum and does
/// not advance the rotary positions, so a dropped item is nearly as if deleted from the history (only
/// the local convolution sees a zero in its place). The last
/// real item stays, so a row read at its end (prefix samples) is still read at an item.
/// </summary>
public static class ItemDropout
{
    /// <summary>
    /// items [B, W] (0 = padding) and targets ([B, W] per position, or [B]) -> both with the drops
    /// applied. The draws come from torch's generator (one per element, via <see cref="Ops.DropoutMask"/>),
    /// so they follow the run's seed and its checkpointed random state.
    /// </summary>
    public static (Tensor Items, Tensor Targets) Apply(Tensor items, Tensor targets, double rate)
    {
        if (rate <= 0) return (items, targets);
        using var scope = torch.NewDisposeScope();
        var real = items.ne(0);
        var width = items.shape[1];
        var index = torch.arange(1, width + 1, ScalarType.Int64, items.device).unsqueeze(0);
        var last = (real.to_type(ScalarType.Int64) * index).argmax(1, keepdim: true);    // [B, 1], the last real column
        var notLast = torch.arange(width, ScalarType.Int64, items.device).unsqueeze(0).ne(last);
        var drawn = Ops.DropoutMask.Dropped(items.shape, rate, items.device, ScalarType.Float32);
        var dropped = drawn.logical_and(real).logical_and(notLast);
        var kept = items.masked_fill(dropped, 0);
        var keptTargets = targets.dim() == items.dim() ? targets.masked_fill(dropped, 0) : targets.alias();
        return (kept.MoveToOuterDisposeScope(), keptTargets.MoveToOuterDisposeScope());
    }
}
