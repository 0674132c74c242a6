using Grela.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Training;

[Collection(TorchSerial.Name)]
public sealed class ItemDropoutTests
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Right-padded rows of lengths 200, 1, 57 and 130 over a width of 200, items 1..999.</summary>
    private static (Tensor Items, Tensor Targets) Batch()
    {
        var g = new Generator(11);
        var items = torch.randint(1, 1000, [4, 200], ScalarType.Int64, generator: g);
        long[] lengths = [200, 1, 57, 130];
        for (int r = 0; r < 4; r++) items[r, (int)lengths[r]..] = torch.tensor(0L);
        var targets = torch.randint(1, 1000, [4, 200], ScalarType.Int64, generator: g) * items.ne(0).to_type(ScalarType.Int64);
        return (items, targets);
    }

    [Fact]
    public void Drops_only_real_items_before_each_rows_last_and_clears_their_targets()
    {
        using var scope = torch.NewDisposeScope();
        var (items, targets) = Batch();
        torch.manual_seed(5);
        var (kept, keptTargets) = ItemDropout.Apply(items, targets, 0.3);
        var dropped = items.ne(kept);
        Assert.True(kept.eq(0).logical_or(kept.eq(items)).all().item<bool>(), "an item became another item");
        Assert.True(items.ne(0).logical_or(dropped.logical_not()).all().item<bool>(), "padding was dropped");
        long[] last = [199, 0, 56, 129];
        for (int r = 0; r < 4; r++) Assert.Equal(items[r, last[r]].item<long>(), kept[r, last[r]].item<long>());
        Assert.True(keptTargets.eq(targets.masked_fill(dropped, 0)).all().item<bool>(), "targets are cleared exactly where items went");
        // 199 + 0 + 56 + 129 droppable items at rate 0.3: about 115, far from 0 and from all 384.
        Assert.InRange(dropped.sum().item<long>(), 80, 150);
    }

    [Fact]
    public void The_drops_follow_the_seed_and_a_rate_of_zero_changes_nothing()
    {
        using var scope = torch.NewDisposeScope();
        var (items, targets) = Batch();
        torch.manual_seed(5);
        var first = ItemDropout.Apply(items, targets, 0.2).Items;
        torch.manual_seed(5);
        var again = ItemDropout.Apply(items, targets, 0.2).Items;
        torch.manual_seed(6);
        var other = ItemDropout.Apply(items, targets, 0.2).Items;
        Assert.True(Same(first, again));
        Assert.False(Same(first, other));
        var (same, sameTargets) = ItemDropout.Apply(items, targets, 0);
        Assert.True(Same(same, items) && Same(sameTargets, targets));
    }

    [Fact]
    public void Prefix_targets_one_per_row_are_left_alone()
    {
        using var scope = torch.NewDisposeScope();
        var (items, _) = Batch();
        var targets = torch.tensor(new long[] { 3, 4, 5, 6 });
        torch.manual_seed(5);
        var (kept, keptTargets) = ItemDropout.Apply(items, targets, 0.5);
        Assert.True(Same(keptTargets, targets));
        Assert.False(Same(kept, items));
    }
}
