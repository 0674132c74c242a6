using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Evaluation;
using TorchSharp;

namespace Grela.Tests.Evaluation;

public sealed class MetricTests
{
    /// <summary>Brute force: sort all candidates best first, the target after every candidate it ties with; its 1-based place.</summary>
    private static long BruteForceRank(float[] scores, int target, bool[]? excluded)
    {
        var candidates = Enumerable.Range(1, scores.Length - 1).Where(j => excluded is null || !excluded[j] || j == target);
        var ordered = candidates.OrderByDescending(j => scores[j]).ThenBy(j => j == target ? 1 : 0).ToList();
        return ordered.IndexOf(target) + 1;
    }

    private static (float[] Scores, int Target, bool[] Excluded) Case(byte[]? raw, int target, bool[]? mask)
    {
        var scores = (raw ?? []).Select(b => (float)(b % 5)).Prepend(9f).Append(1f).ToArray(); // small range: many ties; column 0 is padding
        var excluded = Enumerable.Range(0, scores.Length).Select(j => mask is { Length: > 0 } && mask[j % mask.Length]).ToArray();
        return (scores, 1 + (int)((uint)target % (uint)(scores.Length - 1)), excluded);
    }

    [Property(MaxTest = 200)]
    public Property Tensor_ranks_equal_the_reference_and_the_brute_force_definition(byte[] raw, int t, bool[] mask)
    {
        var (scores, target, excluded) = Case(raw, t, mask);
        using var s = torch.tensor(scores).unsqueeze(0);
        using var tt = torch.tensor(new long[] { target });
        using var ex = torch.tensor(excluded).unsqueeze(0);
        using var rank = TargetRanks.Compute(s, tt, ex);
        var brute = BruteForceRank(scores, target, excluded);
        return (rank.item<long>() == brute && TargetRanks.Reference(scores, target, excluded) == brute)
            .Label($"tensor {rank.item<long>()}, reference {TargetRanks.Reference(scores, target, excluded)}, brute {brute}");
    }

    [Property(MaxTest = 100)]
    public Property Ranks_do_not_change_when_candidates_are_permuted(byte[] raw, int t, int seed)
    {
        var (scores, target, _) = Case(raw, t, null);
        var permutation = Enumerable.Range(1, scores.Length - 1).OrderBy(j => HashCode.Combine(seed, j)).Prepend(0).ToArray();
        var permuted = permutation.Select(j => scores[j]).ToArray();
        var newTarget = Array.IndexOf(permutation, target);
        return (TargetRanks.Reference(scores, target) == TargetRanks.Reference(permuted, newTarget)).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Metrics_are_ordered_HR_over_NDCG_over_MRR_over_zero(PositiveInt[] ranks, PositiveInt k)
    {
        var rs = (ranks ?? []).Select(r => (long)r.Get).ToArray();
        var report = RankingMetrics.Summarize(rs, [k.Get % 30 + 1]);
        double hr = report.Values[0].Value, ndcg = report.Values[1].Value, mrr = report.Values[2].Value;
        return (hr >= ndcg - 1e-12 && ndcg >= mrr - 1e-12 && mrr >= 0 && hr <= 1 && mrr <= hr + 1e-12).Label($"{hr} {ndcg} {mrr}");
    }

    [Fact]
    public void Hand_computed_cases()
    {
        // ranks 1, 2, 4, 11 at K = 10
        var report = RankingMetrics.Summarize([1, 2, 4, 11], [10]);
        Assert.Equal(0.75, report["HR@10"], 12);
        Assert.Equal((1 + 1 / Math.Log2(3) + 1 / Math.Log2(5)) / 4, report["NDCG@10"], 12);
        Assert.Equal((1 + 0.5 + 0.25) / 4, report["MRR@10"], 12);
        Assert.Equal(["HR@10", "NDCG@10", "MRR@10"], report.Values.Select(v => v.Name));
        Assert.Equal(0.0, RankingMetrics.Hit(6, 5));
        Assert.Equal(1.0, RankingMetrics.Ndcg(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.Hit(0, 5));
    }

    [Fact]
    public void Ties_count_against_the_target_and_padding_never_counts()
    {
        // Padding (column 0) has the best score; items 1..4 all tie with the target 2.
        float[] scores = [100, 0.5f, 0.5f, 0.5f, 0.5f, 0.1f];
        Assert.Equal(4, TargetRanks.Reference(scores, 2));
        using var rank = TargetRanks.Compute(torch.tensor(scores).unsqueeze(0), torch.tensor(new long[] { 2 }));
        Assert.Equal(4, rank.item<long>());
        // A NaN target is ranked last among the non-excluded candidates.
        Assert.Equal(5, TargetRanks.Reference([0, 1, float.NaN, 3, 4, 5], 2));
    }
}
