using Grela.Models;

namespace Grela.Data.Batching;

/// <summary>
/// The validation or test inputs: each row is the last Width items before the user's target (the
/// test history includes the validation item), with the target in <see cref="SequenceBatch.Targets"/>.
/// Users are served longest window first, so that a batch holds windows of similar length and a
/// scorer that may drop trailing padding does little wasted work; <see cref="Slot"/> maps a served
/// user back to its place in user order.
/// </summary>
public sealed class EvaluationBatches
{
    private readonly LeaveOneOutSplit _split;
    private readonly int[] _users;
    private readonly int[] _served;
    private readonly Dictionary<int, int> _slots;
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
        _slots = _users.Select((user, slot) => (user, slot)).ToDictionary(p => p.user, p => p.slot);
        // OrderBy is stable: users of equal window length keep user order.
        _served = [.. _users.OrderByDescending(u => Math.Min(split.TargetPosition(u, stage), split.MaxLength))];
    }

    /// <summary>The users evaluated, in user order (the order of the evaluator's results).</summary>
    public IReadOnlyList<int> Users => _users;

    /// <summary>The place of <paramref name="user"/> in <see cref="Users"/>.</summary>
    public int Slot(int user) => _slots[user];

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
            var user = _served[_position + row];
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
