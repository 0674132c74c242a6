using System.CommandLine;
using Grela.Data;
using Grela.Data.Formats;

namespace Grela.Cli.Commands;

/// <summary>
/// The dataset options shared by every command that reads data (<c>--format</c> and the filters),
/// so that <c>data stats</c>, <c>data check</c> and training read a file the same way.
/// </summary>
public sealed class DataOptionSet
{
    /// <summary><c>--format auto|atomic|movielens-dat|movielens-csv|user-lines|pairs</c>.</summary>
    public Option<string> Format { get; } = new("--format")
    {
        Description = $"File layout: auto (detect), {string.Join(", ", InteractionFormatNames.Canonical)}.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary><c>--min-user N</c>: RecBole user_inter_num_interval [N,inf).</summary>
    public Option<int> MinUser { get; } = new("--min-user")
    {
        Description = "Keep users with at least N interactions (RecBole [N,inf), iterated with --min-item to a fixed point; 0 = off).",
        DefaultValueFactory = _ => DataOptions.Default.MinUserInteractions,
    };

    /// <summary><c>--min-item N</c>: RecBole item_inter_num_interval [N,inf).</summary>
    public Option<int> MinItem { get; } = new("--min-item")
    {
        Description = "Keep items with at least N interactions (RecBole [N,inf); 0 = off).",
        DefaultValueFactory = _ => DataOptions.Default.MinItemInteractions,
    };

    /// <summary><c>--min-rating X</c>: keep rows rated at least X.</summary>
    public Option<double?> MinRating { get; } = new("--min-rating")
    {
        Description = "Keep only interactions rated at least X (default: all, implicit feedback).",
    };

    /// <summary><c>--dedup</c>: keep only the first interaction of each user-item pair.</summary>
    public Option<bool> Dedup { get; } = new("--dedup")
    {
        Description = "Keep only the oldest interaction of each repeated user-item pair.",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(MinUser);
        command.Options.Add(MinItem);
        command.Options.Add(MinRating);
        command.Options.Add(Dedup);
    }

    /// <summary>The options as given on the command line; bad values are user errors.</summary>
    public DataOptions Read(ParseResult parse)
    {
        var (minUser, minItem) = (parse.GetValue(MinUser), parse.GetValue(MinItem));
        if (minUser < 0 || minItem < 0)
            throw new Errors.UserInputException($"--min-user and --min-item must be 0 or more; got {minUser} and {minItem}");
        if (parse.GetValue(MinRating) is { } rating && !double.IsFinite(rating))
            throw new Errors.UserInputException($"--min-rating: expected a finite number, got {rating.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return new DataOptions(InteractionFormatNames.Parse(parse.GetValue(Format)), minUser, minItem, parse.GetValue(MinRating), parse.GetValue(Dedup));
    }
}
