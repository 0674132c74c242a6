namespace Grela.Data.Formats;

/// <summary>
/// Interactions exactly as read from a file, in file order, before any filtering: user and item
/// indices into the token tables (first-appearance order), optional rating and timestamp, and the
/// 1-based line each row came from (for messages).
/// </summary>
public sealed class RawInteractions
{
    internal RawInteractions(string path, InteractionFormat format, TokenTable users, TokenTable items,
        int[] user, int[] item, double[]? rating, double[]? timestamp, int[] line, int count)
    {
        Path = path;
        Format = format;
        UserTokens = users.Tokens();
        ItemTokens = items.Tokens();
        User = user;
        Item = item;
        Rating = rating;
        Timestamp = timestamp;
        Line = line;
        Count = count;
    }

    /// <summary>The file the rows came from.</summary>
    public string Path { get; }
    /// <summary>The layout it was read as.</summary>
    public InteractionFormat Format { get; }
    /// <summary>Original user ids, indexed by the values of <see cref="User"/>.</summary>
    public IReadOnlyList<string> UserTokens { get; }
    /// <summary>Original item ids, indexed by the values of <see cref="Item"/>.</summary>
    public IReadOnlyList<string> ItemTokens { get; }
    /// <summary>Number of rows.</summary>
    public int Count { get; }
    /// <summary>[Count] user index per row (arrays may be longer than Count).</summary>
    public int[] User { get; }
    /// <summary>[Count] item index per row.</summary>
    public int[] Item { get; }
    /// <summary>[Count] rating per row, or null when the format has none.</summary>
    public double[]? Rating { get; }
    /// <summary>[Count] timestamp per row, or null when the file is ordered but untimed.</summary>
    public double[]? Timestamp { get; }
    /// <summary>[Count] 1-based source line per row.</summary>
    public int[] Line { get; }
}
