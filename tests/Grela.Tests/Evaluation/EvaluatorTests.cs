using Grela.Data;
using Grela.Evaluation;
using Grela.Models;

namespace Grela.Tests.Evaluation;

public sealed class EvaluatorTests
{
    // Users step through consecutive ids, except user 2 whose test target repeats an earlier item.
    private static readonly LeaveOneOutSplit Split = LeaveOneOutSplit.Create(SequenceDataset.FromSequences("s",
        [[1, 2, 3, 4, 5, 6], [3, 4, 5, 6, 7], [2, 3, 4, 5, 2], [5, 6, 7, 8, 9, 10, 11]], 12), maxLength: 3);

    [Theory]
    [InlineData(PaddingSide.Right, 1)]
    [InlineData(PaddingSide.Left, 3)]
    public void A_model_that_knows_the_next_id_ranks_it_first_whatever_the_batch_size(PaddingSide side, int batchSize)
    {
        using var model = new NextIdModel(Split.Dataset.ItemIdCount, side);
        model.Module.train();
        var ranks = FullRankingEvaluator.Ranks(model, Split, EvaluationStage.Validation, new EvaluationOptions(BatchSize: batchSize));
        Assert.Equal([1L, 1, 1, 1], ranks);
        Assert.False(model.SawTrainingMode);
        Assert.False(model.SawGradients);
        Assert.True(model.Module.training);            // restored afterwards

        // Test targets: 7, 8, 2 (not next id: every item with a higher ramp score beats it), 12.
        var test = FullRankingEvaluator.Ranks(model, Split, EvaluationStage.Test, new EvaluationOptions(BatchSize: batchSize));
        Assert.Equal([1L, 1, 3, 1], test);
        var report = FullRankingEvaluator.Evaluate(model, Split, EvaluationStage.Test, new EvaluationOptions([1, 5], BatchSize: batchSize));
        Assert.Equal(0.75, report["HR@1"]);
        Assert.Equal((3 + 1 / Math.Log2(4)) / 4, report["NDCG@5"], 12);
    }

    [Fact]
    public void History_masking_removes_earlier_items_but_never_the_target()
    {
        var split = LeaveOneOutSplit.Create(SequenceDataset.FromSequences("m", [[1, 2, 3, 9, 5], [1, 2, 3, 1]], 12), maxLength: 3);
        using var model = new NextIdModel(split.Dataset.ItemIdCount, PaddingSide.Right);
        var plain = FullRankingEvaluator.Ranks(model, split, EvaluationStage.Test, new EvaluationOptions());
        var masked = FullRankingEvaluator.Ranks(model, split, EvaluationStage.Test, new EvaluationOptions(MaskHistory: true));
        // User 0, target 5 after 1,2,3,9: 10 (next id) and the lower ids 1..4 beat it; masking
        // removes the history 1, 2, 3 (also the part outside the window), leaving 10 and 4.
        Assert.Equal(6, plain[0]);
        Assert.Equal(3, masked[0]);
        // User 1, target 1 repeats its first item: only 4 (next id) beats it, masked or not.
        Assert.Equal(2, plain[1]);
        Assert.Equal(2, masked[1]);
    }

    [Fact]
    public void Popularity_counts_training_items_only_and_is_evaluated_with_the_same_ranks()
    {
        var pop = PopularityBaseline.FromTraining(Split);
        Assert.Equal(0, pop.Counts[0]);
        Assert.Equal(0, pop.Counts[12]);
        Assert.Equal(1, pop.Counts[11 - 2]);           // user 3 trains on 5..9
        Assert.Equal(Enumerable.Range(0, Split.Dataset.UserCount).Sum(u => Split.TrainLength(u)), pop.Counts.Sum());
        var report = pop.Evaluate(Split, EvaluationStage.Test, new EvaluationOptions([1, 20]));
        Assert.Equal(4, report.Users);
        Assert.Equal(1.0, report["HR@20"]);
        var ranks = FullRankingEvaluator.Ranks(pop.Scores, PaddingSide.Right, Split, EvaluationStage.Test, new EvaluationOptions());
        for (var u = 0; u < ranks.Length; u++)
        {
            var scores = pop.Counts.Select(c => (float)c).ToArray();
            Assert.Equal(TargetRanks.Reference(scores, Split.Dataset.Sequence(u)[Split.TargetPosition(u, EvaluationStage.Test)]), ranks[u]);
        }
    }
}
