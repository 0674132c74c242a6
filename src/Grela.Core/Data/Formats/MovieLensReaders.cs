namespace Grela.Data.Formats;

/// <summary>Reads MovieLens <c>ratings.dat</c> (<c>::</c>-separated) and <c>ratings.csv</c> (with header).</summary>
internal static class MovieLensReaders
{
    public static RawInteractions ReadDat(string path, string[] lines)
    {
        var builder = new RawInteractionsBuilder(path, InteractionFormat.MovieLensDat, hasRating: true, hasTimestamp: true);
        Span<Range> fields = stackalloc Range[4];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().TrimEnd('\r');
            if (FieldSplitter.IsBlankLine(line)) continue;
            var lineNo = i + 1;
            if (FieldSplitter.Split(line, "::", fields) != 4)
                throw DataFileError.At(path, lineNo, "4 fields separated by '::' (UserID::MovieID::Rating::Timestamp)", line);
            var user = AtomicReader.Token(path, lineNo, line[fields[0]], "UserID");
            var item = AtomicReader.Token(path, lineNo, line[fields[1]], "MovieID");
            var rating = AtomicReader.Number(path, lineNo, line[fields[2]], "Rating");
            var time = AtomicReader.Number(path, lineNo, line[fields[3]], "Timestamp");
            builder.Add(builder.InternUser(user), item, lineNo, rating, time);
        }
        return builder.Build();
    }

    public static RawInteractions ReadCsv(string path, string[] lines)
    {
        if (lines.Length == 0 || FieldSplitter.IsBlankLine(lines[0]))
            throw DataFileError.AtLine(path, 1, "expected a header 'userId,movieId,rating,timestamp', got an empty line");
        var names = lines[0].TrimEnd('\r').Split(',').Select(n => n.Trim()).ToArray();
        int Column(string name) => Array.FindIndex(names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (user, item, rating, time) = (Column("userId"), Column("movieId"), Column("rating"), Column("timestamp"));
        if (user < 0 || item < 0)
            throw DataFileError.At(path, 1, "a header with columns userId and movieId (and optionally rating, timestamp), separated by commas", lines[0]);
        var builder = new RawInteractionsBuilder(path, InteractionFormat.MovieLensCsv, rating >= 0, time >= 0);
        Span<Range> fields = stackalloc Range[names.Length];
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().TrimEnd('\r');
            if (FieldSplitter.IsBlankLine(line)) continue;
            var lineNo = i + 1;
            var count = FieldSplitter.Split(line, ",", fields);
            if (count != names.Length)
                throw DataFileError.At(path, lineNo, $"{names.Length} comma-separated fields ({string.Join(", ", names)}), {count} found", line);
            var u = AtomicReader.Token(path, lineNo, line[fields[user]], "userId");
            var m = AtomicReader.Token(path, lineNo, line[fields[item]], "movieId");
            var r = rating >= 0 ? AtomicReader.Number(path, lineNo, line[fields[rating]], "rating") : double.NaN;
            var t = time >= 0 ? AtomicReader.Number(path, lineNo, line[fields[time]], "timestamp") : double.NaN;
            builder.Add(builder.InternUser(u), m, lineNo, r, t);
        }
        return builder.Build();
    }
}
