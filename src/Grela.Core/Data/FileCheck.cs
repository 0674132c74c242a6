using Grela.Data.Formats;

namespace Grela.Data;

/// <summary>How serious a finding of <c>grela data check</c> is.</summary>
public enum CheckSeverity { Ok, Note, Warning }

/// <summary>One finding about an interaction file.</summary>
public sealed record CheckFinding(CheckSeverity Severity, string Check, string Detail);

/// <summary>
/// The checks of <c>grela data check</c> on a file that parsed: the properties the protocol relies
/// on (enough items per user for leave-one-out, the minimum counts, ordering, repeats) reported as
/// findings. Malformed files never get here: reading them fails with the line at fault.
/// </summary>
public static class FileCheck
{
    /// <summary>Checks <paramref name="raw"/> against <paramref name="options"/>.</summary>
    public static IReadOnlyList<CheckFinding> Run(RawInteractions raw, DataOptions options)
    {
        var findings = new List<CheckFinding>
        {
            new(CheckSeverity.Ok, "format", $"{InteractionFormatNames.NameOf(raw.Format)}: {raw.Count:N0} interactions, {raw.UserTokens.Count:N0} users, {raw.ItemTokens.Count:N0} items"),
        };
        var userCounts = new int[raw.UserTokens.Count];
        var itemCounts = new int[raw.ItemTokens.Count];
        for (var r = 0; r < raw.Count; r++) { userCounts[raw.User[r]]++; itemCounts[raw.Item[r]]++; }

        var tooShort = userCounts.Count(c => c < 3);
        findings.Add(tooShort == 0
            ? new(CheckSeverity.Ok, "leave-one-out", "every user has at least 3 interactions")
            : new(CheckSeverity.Warning, "leave-one-out", $"{tooShort:N0} users have fewer than 3 interactions (training only, never evaluated, unless filtered out)"));

        var (usersUnder, itemsUnder) = (userCounts.Count(c => c < options.MinUserInteractions), itemCounts.Count(c => c < options.MinItemInteractions));
        var alive = Enumerable.Repeat(true, raw.Count).ToArray();
        var (dropped, rounds) = Preprocessing.FilterByCounts(raw, alive, options.MinUserInteractions, options.MinItemInteractions);
        // A file the filters empty cannot be trained on: not valid, whatever else holds.
        if (dropped >= raw.Count)
            throw new Errors.UserInputException(
                $"{raw.Path}: filtering to [{options.MinUserInteractions},inf) interactions per user and [{options.MinItemInteractions},inf) per item removes every interaction; " +
                "training would have no data (lower 'min-user' / 'min-item')");
        findings.Add(dropped == 0
            ? new(CheckSeverity.Ok, "minimum counts", $"already satisfies [{options.MinUserInteractions},inf) per user and [{options.MinItemInteractions},inf) per item")
            : new(CheckSeverity.Note, "minimum counts", $"{usersUnder:N0} users and {itemsUnder:N0} items are under [{options.MinUserInteractions},inf) / [{options.MinItemInteractions},inf); filtering removes {dropped:N0} interactions in {rounds} rounds"));

        findings.Add(Repeats(raw));
        findings.Add(raw.Timestamp is null ? Grouping(raw) : TimeOrder(raw));
        return findings;
    }

    private static CheckFinding Repeats(RawInteractions raw)
    {
        var pairs = new HashSet<long>();
        long repeats = 0;
        for (var r = 0; r < raw.Count; r++)
            if (!pairs.Add(((long)raw.User[r] << 32) | (uint)raw.Item[r])) repeats++;
        return repeats == 0
            ? new(CheckSeverity.Ok, "repeats", "no user has the same item twice")
            : new(CheckSeverity.Note, "repeats", $"{repeats:N0} interactions repeat an item the user already had (kept unless 'dedup' is set)");
    }

    private static CheckFinding TimeOrder(RawInteractions raw)
    {
        var time = raw.Timestamp!;
        var order = Preprocessing.ChronologicalOrder(raw);
        long ties = 0, unsorted = 0;
        for (var k = 1; k < order.Length; k++)
        {
            int a = order[k - 1], b = order[k];
            if (raw.User[a] != raw.User[b]) continue;
            if (time[a] == time[b]) ties++;
            if (b < a) unsorted++;
        }
        return new(ties > 0 ? CheckSeverity.Note : CheckSeverity.Ok, "time order",
            $"{(unsorted == 0 ? "rows are already in time order per user" : $"{unsorted:N0} rows are out of time order in the file (sorted by timestamp on load)")}; "
            + $"{ties:N0} interactions share a timestamp with the previous one of the same user (ties keep file order)");
    }

    private static CheckFinding Grouping(RawInteractions raw)
    {
        var seen = new HashSet<int>();
        var split = 0;
        for (var r = 0; r < raw.Count; r++)
            if ((r == 0 || raw.User[r] != raw.User[r - 1]) && !seen.Add(raw.User[r])) split++;
        return split == 0
            ? new(CheckSeverity.Ok, "time order", "no timestamps: file order is taken as time order; every user's rows are contiguous")
            : new(CheckSeverity.Warning, "time order", $"no timestamps: file order is taken as time order, but {split:N0} users have rows in several separate blocks");
    }
}
