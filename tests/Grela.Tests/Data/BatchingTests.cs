using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Data;
using Grela.Data.Batching;
using Grela.Models;

namespace Grela.Tests.Data;

public sealed class BatchingTests
{
    private static List<(int User, long[] Items, long Length, long[] Targets)> Drain(TrainingBatches producer, SequenceBatch batch)
    {
        var rows = new List<(int, long[], long, long[])>();
        while (producer.TryNext(batch))
            for (var r = 0; r < batch.Rows; r++)
            {
                var targets = batch.TargetPerPosition ? batch.Targets.AsSpan(r * batch.Width, batch.Width).ToArray() : [batch.Targets[r]];
                rows.Add((batch.Users[r], batch.Items.AsSpan(r * batch.Width, batch.Width).ToArray(), batch.Lengths[r], targets));
            }
        return rows;
    }

    /// <summary>Every (user, input, target) pair of consecutive training items, sorted: what an epoch of all-position training must train once each.</summary>
    private static List<(int User, long Input, long Target)> ConsecutiveTrainingPairs(LeaveOneOutSplit split) =>
        Enumerable.Range(0, split.Dataset.UserCount)
            .SelectMany(u => { var t = split.TrainItems(u).ToArray(); return Enumerable.Range(1, Math.Max(0, t.Length - 1)).Select(i => (u, (long)t[i - 1], (long)t[i])); })
            .OrderBy(x => x).ToList();

    [Property(MaxTest = 60)]
    public Property Prefix_batching_yields_every_training_prefix_exactly_once_per_epoch(int[][] raw, PositiveInt batchSize, NonNegativeInt buckets)
    {
        var split = LeaveOneOutSplit.Create(RandomData.Dataset(raw), maxLength: 4);
        var producer = new TrainingBatches(split, TrainingStyle.Prefix, PaddingSide.Right, 1 + batchSize.Get % 7, seed: 3,
            lengthBuckets: buckets.Get % 4);
        producer.StartEpoch(0);
        var rows = Drain(producer, producer.CreateBatch());
        var expected = Enumerable.Range(0, split.Dataset.UserCount).Sum(u => Math.Max(0, split.Dataset.Length(u) - 3)
            + (split.Dataset.Length(u) is 2 or 3 ? 1 : 0));
        // Each row: the window is the (cut) history before the target, right-padded.
        var windowsRight = rows.All(r =>
        {
            var len = (int)r.Length;
            return r.Items.Skip(len).All(x => x == 0) && r.Items.Take(len).All(x => x > 0);
        });
        var distinct = rows.Select(r => (r.User, r.Targets[0], string.Join(',', r.Items))).Distinct().Count();
        var perUser = rows.GroupBy(r => r.User).All(g => g.Count() == split.TrainLength(g.Key) - 1);
        return (rows.Count == split.PrefixSampleCount && rows.Count == expected && windowsRight && perUser
                && producer.SamplesPerEpoch == rows.Count)
            .Label($"rows {rows.Count}, expected {expected}, distinct {distinct}");
    }

    [Fact]
    public void Prefix_rows_hold_the_last_width_items_before_the_target_on_either_side()
    {
        var d = SequenceDataset.FromSequences("s", [[1, 2, 3, 4, 5, 6, 7]], 7);
        var split = LeaveOneOutSplit.Create(d, maxLength: 3);
        foreach (var side in new[] { PaddingSide.Right, PaddingSide.Left })
        {
            var producer = new TrainingBatches(split, TrainingStyle.Prefix, side, batchSize: 10, seed: 1);
            producer.StartEpoch(0);
            var rows = Drain(producer, producer.CreateBatch()).OrderBy(r => r.Targets[0]).ToList();
            Assert.Equal([2L, 3, 4, 5], rows.Select(r => r.Targets[0]));
            var expected = side == PaddingSide.Right
                ? new long[][] { [1, 0, 0], [1, 2, 0], [1, 2, 3], [2, 3, 4] }
                : new long[][] { [0, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4] };
            Assert.Equal(expected, rows.Select(r => r.Items));
            Assert.Equal([1L, 2, 3, 3], rows.Select(r => r.Length));
        }
    }

    [Fact]
    public void All_positions_rows_target_the_next_training_item_at_every_position()
    {
        var d = SequenceDataset.FromSequences("s", [[1, 2, 3, 4, 5, 6, 7], [3, 1, 4, 2]], 7);
        var split = LeaveOneOutSplit.Create(d, maxLength: 3);
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Left, batchSize: 4, seed: 1, TrainingWindows.Last);
        producer.StartEpoch(0);
        var rows = Drain(producer, producer.CreateBatch()).OrderBy(r => r.User).ToList();
        Assert.Equal(2, rows.Count);
        // User 0 trains on 1..5 (6 and 7 are validation and test): the last 3 inputs and their next items.
        Assert.Equal([2L, 3, 4], rows[0].Items);
        Assert.Equal([3L, 4, 5], rows[0].Targets);
        // User 1 trains on 3, 1: one input, one target, left-padded.
        Assert.Equal([0L, 0, 3], rows[1].Items);
        Assert.Equal([0L, 0, 1], rows[1].Targets);
        Assert.Equal(1, rows[1].Length);
    }

    [Fact]
    public void All_windows_cut_a_long_history_from_its_newest_target_back()
    {
        // User 0 trains on 1..8 (9 and 10 are validation and test): targets 2..8, windows of 3.
        var d = SequenceDataset.FromSequences("s", [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 10);
        var split = LeaveOneOutSplit.Create(d, maxLength: 3);
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, batchSize: 8, seed: 1);
        producer.StartEpoch(0);
        var rows = Drain(producer, producer.CreateBatch()).OrderBy(r => r.Targets[0]).ToList();
        Assert.Equal(TrainingWindows.All, producer.Windows);
        Assert.Equal(7, producer.TargetsPerEpoch);
        Assert.Equal([[1L, 0, 0], [2L, 3, 4], [5L, 6, 7]], rows.Select(r => r.Items));
        Assert.Equal([[2L, 0, 0], [3L, 4, 5], [6L, 7, 8]], rows.Select(r => r.Targets));
        Assert.Equal([1L, 3, 3], rows.Select(r => r.Length));
    }

    [Property(MaxTest = 60)]
    public Property All_windows_train_on_every_target_once_with_the_items_before_it_as_inputs(int[][] raw, PositiveInt width, PositiveInt batchSize, NonNegativeInt buckets)
    {
        var split = LeaveOneOutSplit.Create(RandomData.Dataset(raw), maxLength: 1 + width.Get % 6);
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, 1 + batchSize.Get % 5, seed: 7,
            lengthBuckets: buckets.Get % 4);
        producer.StartEpoch(0);
        var rows = Drain(producer, producer.CreateBatch());
        var seen = new List<(int User, long Input, long Target)>();
        var inputsPrecedeTargets = true;
        foreach (var r in rows)
        {
            var n = (int)r.Length;
            for (var i = 0; i < n; i++)
            {
                seen.Add((r.User, r.Items[i], r.Targets[i]));
                inputsPrecedeTargets &= r.Targets[i] != 0 && r.Items[i] != 0;
            }
            inputsPrecedeTargets &= r.Targets.Skip(n).All(t => t == 0) && r.Items.Skip(n).All(t => t == 0);
        }
        var expected = ConsecutiveTrainingPairs(split);
        return (inputsPrecedeTargets && seen.OrderBy(x => x).SequenceEqual(expected) && producer.TargetsPerEpoch == expected.Count)
            .Label($"rows {rows.Count}, pairs {seen.Count}, expected {expected.Count}");
    }

    [Fact]
    public void Overlapping_windows_train_each_target_once_from_the_window_that_gives_it_the_most_context()
    {
        // Training items 1..8, windows of 3 ending 2 targets apart: each window trains its newest 2.
        var d = SequenceDataset.FromSequences("s", [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], 10);
        var split = LeaveOneOutSplit.Create(d, maxLength: 3);
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, batchSize: 8, seed: 1, stride: 2);
        producer.StartEpoch(0);
        var rows = Drain(producer, producer.CreateBatch()).OrderBy(r => r.Targets.Max()).ToList();
        Assert.Equal(7, producer.TargetsPerEpoch);
        Assert.Equal([[1L, 0, 0], [1L, 2, 3], [3L, 4, 5], [5L, 6, 7]], rows.Select(r => r.Items));
        Assert.Equal([[2L, 0, 0], [0L, 3, 4], [0L, 5, 6], [0L, 7, 8]], rows.Select(r => r.Targets));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, 8, 1, stride: 4));
    }

    [Property(MaxTest = 60)]
    public Property Overlapping_windows_train_every_target_once_with_at_least_width_minus_stride_items_before_it(
        int[][] raw, PositiveInt width, PositiveInt stride, PositiveInt batchSize, NonNegativeInt buckets, bool left)
    {
        var w = 1 + width.Get % 6;
        var s = 1 + stride.Get % w;
        var split = LeaveOneOutSplit.Create(RandomData.Dataset(raw), maxLength: w);
        var side = left ? PaddingSide.Left : PaddingSide.Right;
        var bucketCount = buckets.Get % 4;
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, side, 1 + batchSize.Get % 5, seed: 5,
            lengthBuckets: bucketCount, targetBudget: bucketCount > 0 ? 1 + batchSize.Get % 9 : 0, stride: s);
        producer.StartEpoch(0);
        var seen = new List<(int User, long Input, long Target)>();
        var ok = true;
        foreach (var r in Drain(producer, producer.CreateBatch()))
        {
            var n = (int)r.Length;
            var start = left ? w - n : 0;
            var firstTrained = -1;
            for (var i = 0; i < n; i++)
            {
                if (r.Targets[start + i] == 0) { ok &= firstTrained < 0; continue; }   // context before targets only
                if (firstTrained < 0) firstTrained = i;
                seen.Add((r.User, r.Items[start + i], r.Targets[start + i]));
            }
            // A window either starts at the history's beginning (all its positions train) or trains
            // only positions that have at least w - s items before them.
            var train = split.TrainItems(r.User).ToArray();
            var fromBeginning = Enumerable.Range(0, n).All(i => r.Items[start + i] == train[i]);
            ok &= firstTrained >= 0 && (fromBeginning || firstTrained >= w - s);
        }
        var expected = ConsecutiveTrainingPairs(split);
        return (ok && seen.OrderBy(x => x).SequenceEqual(expected) && producer.TargetsPerEpoch == expected.Count)
            .Label($"width {w}, stride {s}, pairs {seen.Count}, expected {expected.Count}");
    }

    [Theory]
    [InlineData(TrainingStyle.AllPositions)]
    [InlineData(TrainingStyle.Prefix)]
    public void Length_buckets_give_batches_of_sorted_lengths_in_a_seeded_order_and_resume_exactly(TrainingStyle style)
    {
        var split = LeaveOneOutSplit.Create(Grela.Data.Synthetic.SyntheticGenerator.Generate(new(Users: 90, Items: 60, Groups: 4, MinLength: 3, MaxLength: 40)), 20);
        TrainingBatches Make() => new(split, style, PaddingSide.Right, batchSize: 8, seed: 4, lengthBuckets: 4);
        var producer = Make();
        producer.StartEpoch(1);
        var batch = producer.CreateBatch();
        var batches = new List<long[]>();
        while (producer.TryNext(batch))
            batches.Add(batch.Lengths[..batch.Rows]);
        Assert.All(batches, lengths => Assert.Equal(lengths.OrderByDescending(x => x), lengths));
        // Not one long sorted run: the batches themselves are shuffled.
        Assert.NotEqual(batches.Select(b => b[0]).OrderByDescending(x => x), batches.Select(b => b[0]));

        var resumed = Make();
        resumed.Seek(new BatchCursor(1, 3 * 8));
        Assert.True(resumed.TryNext(batch));
        Assert.Equal(batches[3], batch.Lengths[..batch.Rows]);
    }

    [Property(MaxTest = 40)]
    public Property Target_sized_batches_see_every_window_once_with_a_fixed_batch_count(int[][] raw, PositiveInt budget, PositiveInt buckets, byte epoch)
    {
        var split = LeaveOneOutSplit.Create(RandomData.Dataset(raw), maxLength: 5);
        var plain = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, batchSize: 4, seed: 9);
        if (plain.SamplesPerEpoch == 0) return true.ToProperty();
        var producer = new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, batchSize: 4, seed: 9,
            lengthBuckets: 1 + buckets.Get % 5, targetBudget: 1 + budget.Get % 12);
        plain.StartEpoch(0);
        producer.StartEpoch(epoch);
        var batch = producer.CreateBatch();
        var rows = new List<(int, long, string)>();
        var batches = 0;
        while (producer.TryNext(batch))
        {
            batches++;
            for (var r = 0; r < batch.Rows; r++)
                rows.Add((batch.Users[r], batch.Lengths[r], string.Join(',', batch.Targets.AsSpan(r * batch.Width, batch.Width).ToArray())));
        }
        var expected = Drain(plain, plain.CreateBatch()).Select(r => (r.User, r.Length, string.Join(',', r.Targets))).OrderBy(x => x);
        var count = Math.Min(plain.SamplesPerEpoch, (producer.TargetsPerEpoch + producer.TargetBudget - 1) / producer.TargetBudget);
        return (rows.OrderBy(x => x).SequenceEqual(expected) && batches == producer.BatchesPerEpoch && batches == count)
            .Label($"rows {rows.Count}, batches {batches}, planned {producer.BatchesPerEpoch}, expected {count}");
    }

    [Fact]
    public void Target_sized_batches_pack_short_windows_into_more_rows_and_resume_at_a_batch()
    {
        var split = LeaveOneOutSplit.Create(Grela.Data.Synthetic.SyntheticGenerator.Generate(new(Users: 300, Items: 80, Groups: 4, MinLength: 4, MaxLength: 60)), 30);
        TrainingBatches Make() => new(split, TrainingStyle.AllPositions, PaddingSide.Right, batchSize: 8, seed: 4, lengthBuckets: 4, targetBudget: 150);
        var producer = Make();
        producer.StartEpoch(2);
        var batch = producer.CreateBatch();
        var batches = new List<long[]>();
        while (producer.TryNext(batch))
            batches.Add(batch.Lengths[..batch.Rows]);
        Assert.Equal(producer.BatchesPerEpoch, batches.Count);
        Assert.Equal((producer.TargetsPerEpoch + 149) / 150, batches.Count);
        Assert.All(batches, lengths => Assert.Equal(lengths.OrderByDescending(x => x), lengths));
        // Equal shares of a run: every batch but a run's last is within one window of the budget's share,
        // and a batch of short windows holds more of them than one of long windows.
        var targets = batches.Select(b => b.Sum()).ToList();
        Assert.True(targets.Max() <= 2.5 * targets.Average() && targets.Min() >= 0.3 * targets.Average(), string.Join(' ', targets));
        var byLength = batches.OrderBy(b => b.Average()).ToList();
        Assert.True(byLength[0].Length > byLength[^1].Length, $"{byLength[0].Length} rows of short windows, {byLength[^1].Length} of long");

        var resumed = Make();
        resumed.Seek(resumed.CursorAt(2, 5));
        Assert.True(resumed.TryNext(batch));
        Assert.Equal(batches[5], batch.Lengths[..batch.Rows]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Make().Seek(new BatchCursor(2, resumed.CursorAt(2, 5).Position + 1)));
        Assert.Throws<ArgumentException>(() => new TrainingBatches(split, TrainingStyle.AllPositions, PaddingSide.Right, 8, 4, targetBudget: 150));
    }

    [Fact]
    public void The_order_is_fixed_by_seed_and_epoch_and_a_resumed_producer_continues_identically()
    {
        var split = LeaveOneOutSplit.Create(Grela.Data.Synthetic.SyntheticGenerator.Generate(new(Users: 40, Items: 60, Groups: 4)), 20);
        TrainingBatches Make(ulong seed) => new(split, TrainingStyle.Prefix, PaddingSide.Right, batchSize: 16, seed);
        var a = Make(5);
        a.StartEpoch(2);
        var batch = a.CreateBatch();
        var full = Drain(a, batch);

        var b = Make(5);
        b.StartEpoch(2);
        for (var i = 0; i < 7; i++) Assert.True(b.TryNext(batch));
        var cursor = b.Cursor;
        Assert.Equal(new BatchCursor(2, 7 * 16), cursor);
        var resumed = Make(5);
        resumed.StartEpoch(0);                        // a different epoch first: must not matter
        resumed.Seek(cursor);
        var rest = Drain(resumed, batch);
        Assert.Equal(full.Skip(7 * 16).Select(r => (r.User, r.Targets[0], r.Length)), rest.Select(r => (r.User, r.Targets[0], r.Length)));

        var otherEpoch = Make(5);
        otherEpoch.StartEpoch(3);
        Assert.NotEqual(full.Select(r => r.Targets[0]), Drain(otherEpoch, batch).Select(r => r.Targets[0]));
        var otherSeed = Make(6);
        otherSeed.StartEpoch(2);
        Assert.NotEqual(full.Select(r => r.Targets[0]), Drain(otherSeed, batch).Select(r => r.Targets[0]));
    }

    [Fact]
    public void Evaluation_batches_give_the_history_before_each_target_in_user_order()
    {
        var d = SequenceDataset.FromSequences("s", [[1, 2, 3, 4, 5], [5, 4, 3], [1, 2]], 5);
        var split = LeaveOneOutSplit.Create(d, maxLength: 3);
        var valid = new EvaluationBatches(split, EvaluationStage.Validation, PaddingSide.Right, batchSize: 8);
        var test = new EvaluationBatches(split, EvaluationStage.Test, PaddingSide.Right, batchSize: 1);
        var batch = valid.CreateBatch();
        Assert.True(valid.TryNext(batch));
        Assert.Equal(1, batch.Rows);
        Assert.Equal([1L, 2, 3], batch.Items[..3]);
        Assert.Equal(4, batch.Targets[0]);
        Assert.False(valid.TryNext(batch));

        var one = test.CreateBatch();
        var seen = new List<(int, long, long[])>();
        while (test.TryNext(one)) seen.Add((one.Users[0], one.Targets[0], one.Items[..3]));
        Assert.Equal(2, test.UserCount);
        Assert.Equal([(0, 5L), (1, 3L)], seen.Select(s => (s.Item1, s.Item2)));
        Assert.Equal([2L, 3, 4], seen[0].Item3);
        Assert.Equal([5L, 4, 0], seen[1].Item3);
        Assert.Equal([5, 4], test.FullHistory(1).ToArray());
    }
}
