namespace Grela.Data;

/// <summary>
/// Chronological leave-one-out over a <see cref="SequenceDataset"/>, as RecBole splits augmented
/// sequences: the last item of a user is the test target, the second-to-last the validation target,
/// the rest is training. Model inputs are the last <see cref="MaxLength"/> items before a target
/// (the test input includes the validation item). Short users follow RecBole: with 3 items a user
/// has a test target but no validation target; with 2 items or fewer, training only.
/// </summary>
public sealed class LeaveOneOutSplit
{
    private readonly long _prefixSamples;

    private LeaveOneOutSplit(SequenceDataset dataset, int maxLength)
    {
        Dataset = dataset;
        MaxLength = maxLength;
        for (var u = 0; u < dataset.UserCount; u++)
        {
            var n = dataset.Length(u);
            _prefixSamples += Math.Max(0, TrainLength(u) - 1);
            if (HasTarget(u, EvaluationStage.Validation)) ValidationUsers++;
            if (HasTarget(u, EvaluationStage.Test)) TestUsers++; else TrainOnlyUsers++;
            if (n - 1 > maxLength) TruncatedUsers++;
        }
    }

    /// <summary>Splits <paramref name="dataset"/>; windows hold at most <paramref name="maxLength"/> items.</summary>
    public static LeaveOneOutSplit Create(SequenceDataset dataset, int maxLength = 200) =>
        maxLength < 1 ? throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "expected a window of at least 1 item")
        : new LeaveOneOutSplit(dataset, maxLength);

    /// <summary>The dataset split.</summary>
    public SequenceDataset Dataset { get; }
    /// <summary>The longest history window (RecBole <c>MAX_ITEM_LIST_LENGTH</c>).</summary>
    public int MaxLength { get; }
    /// <summary>Users with a validation target (4 items or more).</summary>
    public int ValidationUsers { get; }
    /// <summary>Users with a test target (3 items or more).</summary>
    public int TestUsers { get; }
    /// <summary>Users with 2 items or fewer: training only.</summary>
    public int TrainOnlyUsers { get; }
    /// <summary>Users whose test history is longer than <see cref="MaxLength"/> and gets cut to its last items.</summary>
    public int TruncatedUsers { get; }
    /// <summary>Training samples of the prefix style per epoch: the sum over users of (training length - 1), i.e. n-3 per user with 4+ items.</summary>
    public long PrefixSampleCount => _prefixSamples;

    /// <summary>How many of a user's items (oldest first) are training items.</summary>
    public int TrainLength(int user)
    {
        var n = Dataset.Length(user);
        return n >= 4 ? n - 2 : n == 3 ? 2 : n;
    }

    /// <summary>Whether the user has a target at this stage.</summary>
    public bool HasTarget(int user, EvaluationStage stage) =>
        Dataset.Length(user) >= (stage == EvaluationStage.Validation ? 4 : 3);

    /// <summary>Position of the user's target at this stage in its sequence (its history is everything before).</summary>
    public int TargetPosition(int user, EvaluationStage stage) =>
        HasTarget(user, stage)
            ? Dataset.Length(user) - (stage == EvaluationStage.Validation ? 2 : 1)
            : throw new ArgumentException($"user {user} has no {stage} target (sequence of {Dataset.Length(user)} items)");

    /// <summary>The training items of a user, oldest first.</summary>
    public ReadOnlySpan<int> TrainItems(int user) => Dataset.Sequence(user)[..TrainLength(user)];
}
