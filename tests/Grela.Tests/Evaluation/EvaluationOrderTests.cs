using Grela.Data;
using Grela.Evaluation;
using Grela.Models;
using Grela.Models.RecGrela;
using TorchSharp;

namespace Grela.Tests.Evaluation;

/// <summary>
/// Evaluation serves users longest window first and may cut trailing padding; neither may change
/// which rank belongs to which user, nor any rank of a model that ignores trailing padding.
/// </summary>
public sealed class EvaluationOrderTests
{
    // Windows of 1 to 6 items (maxLength 6), deliberately not in length order.
    private static readonly LeaveOneOutSplit Split = LeaveOneOutSplit.Create(SequenceDataset.FromSequences("lengths",
        [[1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13],
         [3, 1, 2], [9, 10, 11, 12, 13, 14, 15, 16, 1, 2]], 16), maxLength: 6);

    [Fact]
    public void Ranks_come_back_in_user_order_whatever_order_users_are_served_in()
    {
        var batches = new Grela.Data.Batching.EvaluationBatches(Split, EvaluationStage.Test, PaddingSide.Right, batchSize: 2);
        var batch = batches.CreateBatch();
        var served = new List<int>();
        while (batches.TryNext(batch))
            served.AddRange(batch.Users.Take(batch.Rows));
        Assert.NotEqual(batches.Users, served);          // the order really differs here
        var windows = served.Select(u => Math.Min(Split.TargetPosition(u, EvaluationStage.Test), Split.MaxLength)).ToList();
        Assert.Equal(windows.OrderByDescending(w => w), windows);

        // A scorer that ranks items by id, with (the window's first item + 1) on top: the ranks
        // differ between users, so a rank landing in another user's slot is visible.
        var ranks = FullRankingEvaluator.Ranks(FirstItemPlusOne, PaddingSide.Right, Split, EvaluationStage.Test, new EvaluationOptions(BatchSize: 2));
        for (var u = 0; u < Split.Dataset.UserCount; u++)
        {
            var sequence = Split.Dataset.Sequence(u).ToArray();
            var target = Split.TargetPosition(u, EvaluationStage.Test);
            var first = sequence[Math.Max(0, target - Split.MaxLength)];
            var scores = Enumerable.Range(0, Split.Dataset.ItemIdCount).Select(i => i == first + 1 ? 100f : i).ToArray();
            Assert.Equal(TargetRanks.Reference(scores, sequence[target]), ranks[u]);
        }
    }

    [Theory]
    [InlineData(AttentionMode.Causal)]
    [InlineData(AttentionMode.Global)]
    public void Cutting_trailing_padding_leaves_every_RecGrela_rank_unchanged(AttentionMode mode)
    {
        torch.manual_seed(7);
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items: Split.Dataset.ItemIdCount, Dim: 8, Heads: 2, Layers: 2, MaxLength: 6, Mode: mode));
        Assert.True(((ISequentialModel)model).IgnoresTrailingPadding);
        model.Module.eval();
        using var noGrad = torch.no_grad();
        var options = new EvaluationOptions(BatchSize: 4);
        var full = FullRankingEvaluator.Ranks(model.FullSortScores, PaddingSide.Right, Split, EvaluationStage.Validation, options);
        var cut = FullRankingEvaluator.Ranks(model.FullSortScores, PaddingSide.Right, Split, EvaluationStage.Validation, options, trimTrailingPadding: true);
        Assert.Equal(full, cut);
    }

    private static torch.Tensor FirstItemPlusOne(torch.Tensor items, torch.Tensor lengths)
    {
        var ids = Split.Dataset.ItemIdCount;
        var scores = torch.arange(ids, dtype: torch.ScalarType.Float32).expand(items.shape[0], ids).clone();
        var next = (items.select(1, 0) + 1).clamp_max(ids - 1).unsqueeze(1);
        return scores.scatter_(1, next, torch.full_like(next, 100, dtype: torch.ScalarType.Float32));
    }
}
