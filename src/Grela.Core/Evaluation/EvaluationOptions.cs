namespace Grela.Evaluation;

/// <summary>How full-ranking evaluation runs.</summary>
/// <param name="CutOffs">The K of HR@K, NDCG@K, MRR@K; null means 5, 10, 20.</param>
/// <param name="MaskHistory">Exclude items the user had before the target from the ranking (off by
/// default, as in the paper). The target itself is never excluded, even when it repeats an earlier item.</param>
/// <param name="BatchSize">Users scored at once; bounds memory at BatchSize x items scores.</param>
public sealed record EvaluationOptions(IReadOnlyList<int>? CutOffs = null, bool MaskHistory = false, int BatchSize = 256)
{
    /// <summary>The default cut-offs.</summary>
    public static IReadOnlyList<int> DefaultCutOffs { get; } = [5, 10, 20];

    /// <summary>The cut-offs in use.</summary>
    public IReadOnlyList<int> Ks => CutOffs ?? DefaultCutOffs;

    /// <summary>Value equality over the cut-off values.</summary>
    public bool Equals(EvaluationOptions? other) =>
        other is not null && MaskHistory == other.MaskHistory && BatchSize == other.BatchSize && Ks.SequenceEqual(other.Ks);

    /// <inheritdoc />
    public override int GetHashCode() => Ks.Aggregate(HashCode.Combine(MaskHistory, BatchSize), HashCode.Combine);
}
