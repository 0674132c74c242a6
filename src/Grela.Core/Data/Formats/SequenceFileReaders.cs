namespace Grela.Data.Formats;

/// <summary>Reads the untimed, already chronological layouts: per-user lines and user-item pairs.</summary>
internal static class SequenceFileReaders
{
    public static RawInteractions ReadUserLines(string path, string[] lines)
    {
        var builder = new RawInteractionsBuilder(path, InteractionFormat.UserLines, hasRating: false, hasTimestamp: false);
        var firstLineOf = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan();
            if (FieldSplitter.IsBlankLine(line)) continue;
            var lineNo = i + 1;
            var position = 0;
            FieldSplitter.NextToken(line, ref position, out var userRange);
            var userToken = line[userRange];
            if (builder.TryGetUser(userToken, out var seen))
                throw DataFileError.AtLine(path, lineNo, $"user '{DataFileError.Shorten(userToken)}' already has a line (line {firstLineOf[seen]}); expected one line per user");
            var user = builder.InternUser(userToken);
            firstLineOf.Add(lineNo);
            var before = builder.Count;
            while (FieldSplitter.NextToken(line, ref position, out var item))
                builder.Add(user, line[item], lineNo);
            if (builder.Count == before)
                throw DataFileError.At(path, lineNo, "'user item1 item2 ...' with at least one item", line);
        }
        return builder.Build();
    }

    public static RawInteractions ReadPairs(string path, string[] lines)
    {
        var builder = new RawInteractionsBuilder(path, InteractionFormat.Pairs, hasRating: false, hasTimestamp: false);
        Span<Range> fields = stackalloc Range[2];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan();
            if (FieldSplitter.IsBlankLine(line)) continue;
            if (FieldSplitter.SplitWhitespace(line, fields) != 2)
                throw DataFileError.At(path, i + 1, "2 fields 'user item' separated by a space", line.TrimEnd('\r'));
            builder.Add(builder.InternUser(line[fields[0]]), line[fields[1]], i + 1);
        }
        return builder.Build();
    }
}
