using Grela.Data.Batching;
using Grela.Models;

namespace Grela.Tests.Data;

public sealed class HistoryWindowTests
{
    [Theory]
    [InlineData(PaddingSide.Left, new long[] { 0, 0, 1, 2 }, 2)]
    [InlineData(PaddingSide.Right, new long[] { 1, 2, 0, 0 }, 2)]
    public void A_short_history_is_padded_on_the_model_side(PaddingSide side, long[] expected, long length)
    {
        var (items, n) = HistoryWindow.Build([1, 2], 4, side);
        Assert.Equal(expected, items);
        Assert.Equal(length, n);
    }

    [Fact]
    public void A_long_history_keeps_its_most_recent_items()
    {
        var (items, n) = HistoryWindow.Build([1, 2, 3, 4, 5, 6], 4, PaddingSide.Right);
        Assert.Equal([3L, 4, 5, 6], items);
        Assert.Equal(4, n);
    }
}
