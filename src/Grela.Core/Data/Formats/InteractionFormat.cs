using Grela.Errors;

namespace Grela.Data.Formats;

/// <summary>The interaction file layouts Grela reads.</summary>
public enum InteractionFormat
{
    /// <summary>RecBole atomic file (<c>.inter</c>): tab-separated, typed header such as <c>user_id:token</c>.</summary>
    Atomic,
    /// <summary>MovieLens <c>ratings.dat</c>: <c>UserID::MovieID::Rating::Timestamp</c>.</summary>
    MovieLensDat,
    /// <summary>MovieLens <c>ratings.csv</c>: header <c>userId,movieId,rating,timestamp</c>.</summary>
    MovieLensCsv,
    /// <summary>One user per line, <c>user item1 item2 ...</c>, items oldest first (S3-Rec style).</summary>
    UserLines,
    /// <summary>One <c>user item</c> pair per line, grouped by user in chronological order (SASRec style).</summary>
    Pairs,
}

/// <summary>Names of <see cref="InteractionFormat"/> as the <c>format</c> config key spells them.</summary>
public static class InteractionFormatNames
{
    private static readonly (string Name, InteractionFormat Format)[] Table =
    [
        ("atomic", InteractionFormat.Atomic),
        ("inter", InteractionFormat.Atomic),
        ("movielens-dat", InteractionFormat.MovieLensDat),
        ("dat", InteractionFormat.MovieLensDat),
        ("movielens-csv", InteractionFormat.MovieLensCsv),
        ("csv", InteractionFormat.MovieLensCsv),
        ("user-lines", InteractionFormat.UserLines),
        ("pairs", InteractionFormat.Pairs),
    ];

    /// <summary>The canonical names the <c>format</c> key accepts (aliases: inter, dat, csv).</summary>
    public static readonly IReadOnlyList<string> Canonical = ["atomic", "movielens-dat", "movielens-csv", "user-lines", "pairs"];

    /// <summary>The canonical name of a format.</summary>
    public static string NameOf(InteractionFormat format) => Canonical[(int)format];

    /// <summary>Parses a <c>format</c> value; "auto" or empty means detect.</summary>
    public static InteractionFormat? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return null;
        foreach (var (name, format) in Table)
            if (name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
                return format;
        throw new UserInputException($"unknown format '{text}'; expected one of auto, {string.Join(", ", Canonical)}");
    }

    /// <summary>What a line of the format looks like, for error messages.</summary>
    public static string Layout(InteractionFormat format) => format switch
    {
        InteractionFormat.Atomic => "a RecBole .inter file: a header of tab-separated name:type fields (user_id:token, item_id:token, optional rating:float, timestamp:float), then one row per interaction",
        InteractionFormat.MovieLensDat => "MovieLens ratings.dat lines 'UserID::MovieID::Rating::Timestamp'",
        InteractionFormat.MovieLensCsv => "MovieLens ratings.csv: a header 'userId,movieId,rating,timestamp', then one row per rating",
        InteractionFormat.UserLines => "one line per user: 'user item1 item2 ...' (items oldest first)",
        InteractionFormat.Pairs => "one 'user item' pair per line, grouped by user, oldest first",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
