using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Data;

namespace Grela.Tests.Data;

public sealed class PreprocessingTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Property(MaxTest = 60)]
    public Property Filtering_leaves_every_user_and_item_at_or_above_the_minimums(int[][] raw, PositiveInt minUser, PositiveInt minItem)
    {
        var sequences = RandomData.Sequences(raw, 8);
        if (sequences.Length == 0) return true.ToProperty();
        var (mu, mi) = (1 + minUser.Get % 4, 1 + minItem.Get % 4);
        SequenceDataset d;
        try { d = Preprocessing.Apply(RandomData.Raw(sequences, _files), new DataOptions(MinUserInteractions: mu, MinItemInteractions: mi)); }
        catch (Errors.UserInputException) { return true.Label("everything filtered out"); }
        var itemCounts = new int[d.ItemIdCount];
        for (var u = 0; u < d.UserCount; u++)
            foreach (var item in d.Sequence(u)) itemCounts[item]++;
        var usersOk = Enumerable.Range(0, d.UserCount).All(u => d.Length(u) >= mu);
        var itemsOk = itemCounts.Skip(1).All(c => c >= mi);
        // A fixed point: filtering the result again removes nothing.
        var again = Preprocessing.Apply(RandomData.Raw(Enumerable.Range(0, d.UserCount).Select(u => d.Sequence(u).ToArray().Select(i => int.Parse(d.Items.Token(i)[1..])).ToArray()).ToArray(), _files),
            new DataOptions(MinUserInteractions: mu, MinItemInteractions: mi));
        return (usersOk && itemsOk && again.InteractionCount == d.InteractionCount).Label($"users {usersOk}, items {itemsOk}");
    }

    [Fact]
    public void Filtering_iterates_until_nothing_changes()
    {
        // Round 1 drops item i5 (1 interaction); that leaves u2 with 1 interaction, dropped in
        // round 2; that leaves i3 with 1 interaction, dropped in round 3; round 4 changes nothing.
        var raw = RandomData.Raw([[1, 2], [1, 2], [5, 3], [3, 1, 2]], _files);
        var d = Preprocessing.Apply(raw, new DataOptions(MinUserInteractions: 2, MinItemInteractions: 2));
        Assert.Equal(3, d.UserCount);
        Assert.Equal(["i1", "i2"], d.Items.Tokens);
        Assert.Equal(6, d.InteractionCount);
        Assert.Equal(3, d.Report.FilterRounds);
        Assert.Equal(new[] { "u0", "u1", "u3" }, d.Users.Tokens);
    }

    [Fact]
    public void Deduplication_keeps_the_first_occurrence_and_rating_threshold_drops_low_ratings()
    {
        var path = _files.Write("r.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" +
            "1\ta\t5\t1\n1\tb\t2\t2\n1\ta\t4\t3\n1\tc\t5\t4\n");
        var dedup = DatasetLoader.Load(path, DataOptions.Unfiltered with { Deduplicate = true });
        Assert.Equal(["a", "b", "c"], dedup.Sequence(0).ToArray().Select(dedup.Items.Token));
        Assert.Equal(1, dedup.Report.DroppedDuplicates);
        var rated = DatasetLoader.Load(path, DataOptions.Unfiltered with { MinRating = 4 });
        Assert.Equal(["a", "a", "c"], rated.Sequence(0).ToArray().Select(rated.Items.Token));
        Assert.Equal(1, rated.Report.DroppedByRating);
    }

    [Fact]
    public void Dense_ids_follow_first_appearance_and_map_back_to_tokens()
    {
        var d = DatasetLoader.Load(_files.Write("l.txt", "alice x y x\nbob z y\n"), DataOptions.Unfiltered);
        Assert.Equal(["x", "y", "z"], d.Items.Tokens);
        Assert.True(d.Items.TryGetId("z", out var z));
        Assert.Equal(3, z);
        Assert.Equal(IdMap.PaddingToken, d.Items.Token(0));
        Assert.False(d.Items.TryGetId(IdMap.PaddingToken, out _));
        Assert.Equal("bob", d.Users.Token(1));
        Assert.Equal(4, d.ItemIdCount);
    }
}
