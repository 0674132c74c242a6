namespace Grela.Data.Formats;

/// <summary>
/// Guesses the layout: <c>.inter</c> or a tab-separated <c>name:type</c> header is atomic; <c>::</c> is
/// MovieLens .dat; <c>.csv</c> or a comma in the first line is MovieLens .csv; otherwise whitespace
/// tokens, which are pairs when every line holds exactly two and some user has several lines, and
/// per-user lines otherwise (a pairs file where no user repeats reads identically either way).
/// </summary>
public static class FormatDetector
{
    /// <summary>Detects the format of a file from its name and lines.</summary>
    public static InteractionFormat Detect(string path, IReadOnlyList<string> lines)
    {
        var first = lines.FirstOrDefault(l => !FieldSplitter.IsBlankLine(l)) ?? "";
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".inter" || LooksLikeAtomicHeader(first))
            return InteractionFormat.Atomic;
        if (first.Contains("::", StringComparison.Ordinal))
            return InteractionFormat.MovieLensDat;
        if (extension == ".csv" || first.Contains(','))
            return InteractionFormat.MovieLensCsv;
        return LooksLikePairs(lines) ? InteractionFormat.Pairs : InteractionFormat.UserLines;
    }

    private static bool LooksLikeAtomicHeader(string line) =>
        line.Contains('\t') && line.Split('\t').All(f => f.Split(':') is [{ Length: > 0 }, { Length: > 0 }]);

    private static bool LooksLikePairs(IReadOnlyList<string> lines)
    {
        Span<Range> fields = stackalloc Range[3];
        var users = new HashSet<string>(StringComparer.Ordinal);
        var repeats = false;
        foreach (var text in lines)
        {
            var line = text.AsSpan();
            if (FieldSplitter.IsBlankLine(line)) continue;
            if (FieldSplitter.SplitWhitespace(line, fields) != 2)
                return false;
            repeats |= !users.Add(line[fields[0]].ToString());
        }
        return repeats;
    }
}
