namespace Grela.Data;

/// <summary>Sequence length distribution over users.</summary>
public sealed record LengthDistribution(int Min, double Mean, int Median, int P90, int Max);

/// <summary>
/// What <c>grela data stats</c> prints: sizes after preprocessing, the length distribution, and how
/// the leave-one-out split treats the users.
/// </summary>
public sealed record DatasetSummary(
    string Name,
    string Source,
    int Users,
    int Items,
    long Interactions,
    LengthDistribution Lengths,
    int MaxLength,
    long PrefixSamples,
    int ValidationUsers,
    int TestUsers,
    int TrainOnlyUsers,
    int TruncatedUsers,
    PreprocessReport Preprocessing)
{
    /// <summary>Summarises a split dataset.</summary>
    public static DatasetSummary Of(LeaveOneOutSplit split)
    {
        var data = split.Dataset;
        var lengths = Enumerable.Range(0, data.UserCount).Select(data.Length).Order().ToArray();
        var distribution = new LengthDistribution(lengths[0], (double)data.InteractionCount / data.UserCount,
            Quantile(lengths, 0.5), Quantile(lengths, 0.9), lengths[^1]);
        return new DatasetSummary(data.Name, data.Source, data.UserCount, data.ItemCount, data.InteractionCount, distribution,
            split.MaxLength, split.PrefixSampleCount, split.ValidationUsers, split.TestUsers, split.TrainOnlyUsers,
            split.TruncatedUsers, data.Report);
    }

    /// <summary>Nearest-rank quantile of sorted values.</summary>
    private static int Quantile(int[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
