using Grela.Models;

namespace Grela.Data.Batching;

/// <summary>
/// The validation or test inputs in user order: each row is the last Width items before the user's
/// target (the test history includes the validation item), with the target in <see cref="SequenceBatch.Targets"/>.
/// </summary>
public sealed class EvaluationBatches
{
    private readonly LeaveOneOutSplit _split;
    private readonly int[] _users;
    private int _position;

    /// <summary>Prepares the users that have a target at <paramref name="stage"/>.</summary>
    public EvaluationBatches(LeaveOneOutSplit split, EvaluationStage stage, PaddingSide padding, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "expected at least 1 row per batch");
        _split = split;
        Stage = stage;
        Padding = padding;
        BatchSize = batchSize;
        _users = Enumerable.Range(0, split.Dataset.UserCount).Where(u => split.HasTarget(u, stage)).ToArray();
    }

    /// <summary>Validation or test.</summary>
    public EvaluationStage Stage { get; }
    /// <summary>Padding side of the rows.</summary>
    public PaddingSide Padding { get; }
    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Window width (the split's maximum length).</summary>
    public int Width => _split.MaxLength;
    /// <summary>Number of users evaluated.</summary>
    public int UserCount => _users.Length;

    /// <summary>A batch buffer shaped for this producer.</summary>
    public SequenceBatch CreateBatch() => new(BatchSize, Width, targetPerPosition: false);

    /// <summary>Back to the first user.</summary>
    public void Reset() => _position = 0;

    /// <summary>Everything the user did before the target (not cut to Width): what history masking removes.</summary>
    public ReadOnlySpan<int> FullHistory(int user) => _split.Dataset.Sequence(user)[.._split.TargetPosition(user, Stage)];

    /// <summary>Fills the next rows; false when every user was served.</summary>
    public bool TryNext(SequenceBatch batch)
    {
        if (batch.Width != Width || batch.TargetPerPosition || batch.Lengths.Length < BatchSize)
            throw new ArgumentException("the batch was not made by CreateBatch of this producer", nameof(batch));
        var rows = Math.Min(BatchSize, _users.Length - _position);
        if (rows <= 0) { batch.Rows = 0; return false; }
        for (var row = 0; row < rows; row++)
        {
            var user = _users[_position + row];
            var sequence = _split.Dataset.Sequence(user);
            var target = _split.TargetPosition(user, Stage);
            WindowWriter.Write(batch, row, WindowWriter.Last(sequence[..target], Width), Padding);
            batch.Targets[row] = sequence[target];
            batch.Users[row] = user;
        }
        batch.Rows = rows;
        _position += rows;
        return true;
    }
}
