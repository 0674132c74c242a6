using Grela.Models;

namespace Grela.Data.Batching;

/// <summary>
/// A user's history as one model input row: the last <c>width</c> items, padded with 0 on the side the
/// model expects. Pure; used by `recommend` and anywhere a single history is scored.
/// </summary>
public static class HistoryWindow
{
    /// <summary>Returns the window [width] and the number of real items in it.</summary>
    public static (long[] Items, long Length) Build(IReadOnlyList<long> history, int width, PaddingSide padding)
    {
        if (width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, "window width must be positive");
        var length = Math.Min(history.Count, width);
        var window = new long[width];
        var start = padding == PaddingSide.Left ? width - length : 0;
        for (var i = 0; i < length; i++)
            window[start + i] = history[history.Count - length + i];
        return (window, length);
    }
}
