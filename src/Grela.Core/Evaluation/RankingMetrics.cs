namespace Grela.Evaluation;

/// <summary>
/// Leave-one-out ranking metrics as pure functions of the target's rank. With one relevant item per
/// user, rank r (1 = best) is 1 + the number of other candidates whose score is not below the
/// target's (ties count against the target, see <see cref="TargetRanks"/>). For a cut-off K:
/// <list type="bullet">
/// <item>HR@K = 1[r &lt;= K]</item>
/// <item>NDCG@K = 1[r &lt;= K] / log2(r + 1) (the ideal DCG is 1: one relevant item at rank 1)</item>
/// <item>MRR@K = 1[r &lt;= K] / r</item>
/// </list>
/// Reported values are means over users. Hence 0 &lt;= MRR@K &lt;= NDCG@K &lt;= HR@K &lt;= 1.
/// </summary>
public static class RankingMetrics
{
    /// <summary>HR@K of one user: 1 if rank &lt;= K, else 0.</summary>
    public static double Hit(long rank, int k) => Check(rank) <= k ? 1.0 : 0.0;

    /// <summary>NDCG@K of one user: 1 / log2(rank + 1) if rank &lt;= K, else 0.</summary>
    public static double Ndcg(long rank, int k) => Check(rank) <= k ? 1.0 / Math.Log2(rank + 1.0) : 0.0;

    /// <summary>MRR@K of one user: 1 / rank if rank &lt;= K, else 0.</summary>
    public static double ReciprocalRank(long rank, int k) => Check(rank) <= k ? 1.0 / rank : 0.0;

    /// <summary>Mean HR@K, NDCG@K and MRR@K over users, for every K in <paramref name="ks"/>.</summary>
    public static MetricReport Summarize(ReadOnlySpan<long> ranks, IReadOnlyList<int> ks)
    {
        var values = new List<MetricValue>(3 * ks.Count);
        foreach (var (name, metric) in new (string, Func<long, int, double>)[] { ("HR", Hit), ("NDCG", Ndcg), ("MRR", ReciprocalRank) })
            foreach (var k in ks)
            {
                var sum = 0.0;
                foreach (var rank in ranks) sum += metric(rank, k);
                values.Add(new MetricValue(name, k, ranks.Length == 0 ? 0.0 : sum / ranks.Length));
            }
        return new MetricReport(ranks.Length, values);
    }

    private static long Check(long rank) =>
        rank >= 1 ? rank : throw new ArgumentOutOfRangeException(nameof(rank), rank, "expected a rank of at least 1");
}
