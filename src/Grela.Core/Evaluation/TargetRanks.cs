using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Evaluation;

/// <summary>
/// The rank of each target among all candidates, with the tie policy: rank = 1 + the number of
/// candidates other than the target whose score is not strictly below the target's score. Equal
/// scores therefore count against the target (a model that scores everything the same gets the
/// worst rank, never a lucky one), and a NaN on either side counts against it too. Excluded
/// columns (padding id 0, masked history) are never counted.
/// </summary>
public static class TargetRanks
{
    /// <summary>
    /// scores [B, N] (any float type, any device), targets [B] int64, excluded [B, N] bool or null
    /// -> ranks [B] int64 on the same device. Column 0 (padding) is always excluded.
    /// </summary>
    public static Tensor Compute(Tensor scores, Tensor targets, Tensor? excluded = null)
    {
        using var scope = torch.NewDisposeScope();
        var index = targets.unsqueeze(1);                          // [B, 1]
        var targetScore = scores.gather(1, index);                  // [B, 1]
        var ahead = scores.lt(targetScore).logical_not();           // [B, N]: not strictly below (NaN counts)
        ahead[TensorIndex.Colon, 0] = torch.tensor(false);
        if (excluded is not null)
            ahead = ahead.logical_and(excluded.logical_not());
        ahead = ahead.scatter(1, index, torch.zeros_like(index, dtype: ScalarType.Bool));
        return (ahead.sum(1, type: ScalarType.Int64) + 1).MoveToOuterDisposeScope();
    }

    /// <summary>The slow, obvious definition used as the test oracle: one row of scores, plain loops.</summary>
    public static long Reference(ReadOnlySpan<float> scores, int target, ReadOnlySpan<bool> excluded = default)
    {
        long rank = 1;
        for (var j = 1; j < scores.Length; j++)
        {
            if (j == target || (!excluded.IsEmpty && excluded[j])) continue;
            if (!(scores[j] < scores[target])) rank++;
        }
        return rank;
    }
}
