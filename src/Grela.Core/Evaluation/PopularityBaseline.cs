using Grela.Data;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Evaluation;

/// <summary>
/// The popularity baseline reported beside every model: an item's score is how often it occurs in
/// the training part of all sequences (validation and test items are not counted); the history is
/// ignored. Equal counts tie, and ties count against the target.
/// </summary>
public sealed class PopularityBaseline
{
    private readonly float[] _scores;

    private PopularityBaseline(long[] counts)
    {
        Counts = counts;
        _scores = counts.Select(c => (float)c).ToArray();
    }

    /// <summary>Training occurrences per item id; [ItemIdCount], entry 0 (padding) is 0.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Counts the training items of <paramref name="split"/>.</summary>
    public static PopularityBaseline FromTraining(LeaveOneOutSplit split)
    {
        var counts = new long[split.Dataset.ItemIdCount];
        for (var u = 0; u < split.Dataset.UserCount; u++)
            foreach (var item in split.TrainItems(u))
                counts[item]++;
        return new PopularityBaseline(counts);
    }

    /// <summary>Scores [B, N] for a batch: the same count vector for every row.</summary>
    public Tensor Scores(Tensor items, Tensor lengths) =>
        torch.tensor(_scores, device: items.device).unsqueeze(0).expand(items.shape[0], _scores.Length);

    /// <summary>Full-ranking metrics of popularity at <paramref name="stage"/>.</summary>
    public MetricReport Evaluate(LeaveOneOutSplit split, EvaluationStage stage, EvaluationOptions? options = null, Device? device = null)
    {
        options ??= new EvaluationOptions();
        var ranks = FullRankingEvaluator.Ranks(Scores, PaddingSide.Right, split, stage, options, device);
        return RankingMetrics.Summarize(ranks, options.Ks);
    }
}
