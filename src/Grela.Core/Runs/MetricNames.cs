namespace Grela.Runs;

/// <summary>The ranking metrics a run reports, in the order files list them.</summary>
public static class MetricNames
{
    /// <summary>The K of every metric: the evaluator's default cut-offs.</summary>
    public static readonly IReadOnlyList<int> Cutoffs = Evaluation.EvaluationOptions.DefaultCutOffs;

    /// <summary>HR@5, HR@10, HR@20, NDCG@5, ..., MRR@20.</summary>
    public static readonly IReadOnlyList<string> All =
        [.. new[] { "HR", "NDCG", "MRR" }.SelectMany(m => Cutoffs.Select(k => $"{m}@{k}"))];

    /// <summary>Model selection and early stopping use this validation metric.</summary>
    public const string Selection = "NDCG@10";

    /// <summary>The standard metrics first (in order), then any others alphabetically.</summary>
    public static IEnumerable<KeyValuePair<string, double>> Ordered(IReadOnlyDictionary<string, double> metrics) =>
        All.Where(metrics.ContainsKey).Select(k => new KeyValuePair<string, double>(k, metrics[k]))
            .Concat(metrics.Where(p => !All.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal));
}
