using Grela.Models;

namespace Grela.Data.Batching;

/// <summary>Writes one history window into a row of a <see cref="SequenceBatch"/>, padding on the side the model wants.</summary>
internal static class WindowWriter
{
    /// <summary>Writes <paramref name="history"/> (at most Width items) into row <paramref name="row"/>.</summary>
    public static void Write(SequenceBatch batch, int row, ReadOnlySpan<int> history, PaddingSide side)
    {
        Place(batch.Items.AsSpan(row * batch.Width, batch.Width), history, side);
        batch.Lengths[row] = history.Length;
    }

    /// <summary>
    /// Writes per-position targets aligned with a window written by <see cref="Write"/>; the oldest
    /// <paramref name="contextOnly"/> positions get none (0), their items being context only.
    /// </summary>
    public static void WriteTargets(SequenceBatch batch, int row, ReadOnlySpan<int> targets, PaddingSide side, int contextOnly = 0)
    {
        var cells = batch.Targets.AsSpan(row * batch.Width, batch.Width);
        Place(cells, targets, side);
        var start = side == PaddingSide.Right ? 0 : cells.Length - targets.Length;
        cells.Slice(start, contextOnly).Clear();
    }

    /// <summary>The last <paramref name="width"/> items of <paramref name="items"/>.</summary>
    public static ReadOnlySpan<int> Last(ReadOnlySpan<int> items, int width) => items.Length > width ? items[^width..] : items;

    private static void Place(Span<long> cells, ReadOnlySpan<int> values, PaddingSide side)
    {
        cells.Clear();
        var start = side == PaddingSide.Right ? 0 : cells.Length - values.Length;
        for (var i = 0; i < values.Length; i++)
            cells[start + i] = values[i];
    }
}
