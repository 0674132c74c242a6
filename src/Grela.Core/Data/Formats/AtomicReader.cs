namespace Grela.Data.Formats;

/// <summary>Reads RecBole atomic <c>.inter</c> files: tab-separated, header of <c>name:type</c> fields.</summary>
internal static class AtomicReader
{
    private static readonly string[] KnownTypes = ["token", "token_seq", "float", "float_seq"];

    public static RawInteractions Read(string path, string[] lines)
    {
        if (lines.Length == 0 || FieldSplitter.IsBlankLine(lines[0]))
            throw DataFileError.AtLine(path, 1, "expected a RecBole header of tab-separated name:type fields (e.g. 'user_id:token\\titem_id:token\\ttimestamp:float'), got an empty line");
        var header = ParseHeader(path, lines[0]);
        var builder = new RawInteractionsBuilder(path, InteractionFormat.Atomic, header.Rating >= 0, header.Timestamp >= 0);
        Span<Range> fields = stackalloc Range[header.Count];
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().TrimEnd('\r');
            if (FieldSplitter.IsBlankLine(line)) continue;
            var lineNo = i + 1;
            var count = FieldSplitter.Split(line, "\t", fields);
            if (count != header.Count)
            {
                var hint = count == 1 && (line.Contains(' ') || line.Contains(',')) ? " (the separator must be a tab)" : "";
                throw DataFileError.At(path, lineNo, $"{header.Count} tab-separated fields ({header.Names}){hint}, {count} found", line);
            }
            var user = Token(path, lineNo, line[fields[header.User]], "user_id");
            var item = Token(path, lineNo, line[fields[header.Item]], "item_id");
            var rating = header.Rating >= 0 ? Number(path, lineNo, line[fields[header.Rating]], "rating") : double.NaN;
            var time = header.Timestamp >= 0 ? Number(path, lineNo, line[fields[header.Timestamp]], "timestamp") : double.NaN;
            builder.Add(builder.InternUser(user), item, lineNo, rating, time);
        }
        return builder.Build();
    }

    private sealed record Header(int Count, int User, int Item, int Rating, int Timestamp, string Names);

    private static Header ParseHeader(string path, string text)
    {
        var names = text.TrimEnd('\r').Split('\t');
        int user = -1, item = -1, rating = -1, timestamp = -1;
        var fieldNames = new List<string>();
        for (var f = 0; f < names.Length; f++)
        {
            var parts = names[f].Split(':');
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                var hint = names.Length == 1 && text.Contains(' ') ? " (the separator must be a tab)" : "";
                throw DataFileError.At(path, 1, $"a RecBole header of tab-separated name:type fields such as 'user_id:token'{hint}", names[f]);
            }
            var (name, type) = (parts[0].Trim(), parts[1].Trim());
            if (!KnownTypes.Contains(type))
                throw DataFileError.At(path, 1, $"a field type among {string.Join(", ", KnownTypes)} in header field '{names[f]}'", type);
            fieldNames.Add(name);
            switch (name)
            {
                case "user_id": user = Typed(path, f, type, "token", names[f]); break;
                case "item_id": item = Typed(path, f, type, "token", names[f]); break;
                case "rating": rating = Typed(path, f, type, "float", names[f]); break;
                case "timestamp": timestamp = Typed(path, f, type, "float", names[f]); break;
            }
        }
        foreach (var (index, name) in new[] { (user, "user_id"), (item, "item_id") })
            if (index < 0)
                throw DataFileError.AtLine(path, 1, $"the header has no '{name}' field; expected fields user_id:token and item_id:token, got '{string.Join(", ", fieldNames)}'");
        return new Header(names.Length, user, item, rating, timestamp, string.Join(", ", fieldNames));
    }

    private static int Typed(string path, int index, string type, string expected, string field) =>
        type == expected ? index : throw DataFileError.At(path, 1, $"type '{expected}' for header field '{field.Split(':')[0]}'", field);

    internal static ReadOnlySpan<char> Token(string path, int line, ReadOnlySpan<char> text, string field)
    {
        var token = text.Trim();
        return token.IsEmpty ? throw DataFileError.At(path, line, $"a non-empty {field}", text) : token;
    }

    internal static double Number(string path, int line, ReadOnlySpan<char> text, string field) =>
        FieldSplitter.TryNumber(text, out var value) ? value : throw DataFileError.At(path, line, $"a number in field '{field}'", text);
}
