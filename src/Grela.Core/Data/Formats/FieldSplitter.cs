using System.Globalization;

namespace Grela.Data.Formats;

/// <summary>Allocation-free splitting of one line into fields.</summary>
internal static class FieldSplitter
{
    /// <summary>Splits on a separator string, keeping empty fields; returns how many fields there are (may exceed ranges.Length).</summary>
    public static int Split(ReadOnlySpan<char> line, ReadOnlySpan<char> separator, Span<Range> ranges)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var at = line[start..].IndexOf(separator);
            var end = at < 0 ? line.Length : start + at;
            if (count < ranges.Length) ranges[count] = new Range(start, end);
            count++;
            if (at < 0) return count;
            start = end + separator.Length;
        }
    }

    /// <summary>Splits on runs of spaces and tabs, dropping empty fields.</summary>
    public static int SplitWhitespace(ReadOnlySpan<char> line, Span<Range> ranges)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsBlank(line[i])) i++;
            if (i == line.Length) break;
            var start = i;
            while (i < line.Length && !IsBlank(line[i])) i++;
            if (count < ranges.Length) ranges[count] = new Range(start, i);
            count++;
        }
        return count;
    }

    /// <summary>Walks whitespace-separated tokens one at a time (for lines of unbounded length).</summary>
    public static bool NextToken(ReadOnlySpan<char> line, ref int position, out Range token)
    {
        var i = position;
        while (i < line.Length && IsBlank(line[i])) i++;
        var start = i;
        while (i < line.Length && !IsBlank(line[i])) i++;
        position = i;
        token = new Range(start, i);
        return i > start;
    }

    public static bool IsBlankLine(ReadOnlySpan<char> line) => line.Trim().IsEmpty;

    public static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';
}
