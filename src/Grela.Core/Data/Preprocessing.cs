using Grela.Data.Formats;
using Grela.Errors;

namespace Grela.Data;

/// <summary>
/// Raw rows to a <see cref="SequenceDataset"/>, in RecBole's order: rating threshold, chronological
/// order per user (stable sort by timestamp, so ties keep file order), optional deduplication,
/// the iterative minimum-count filter, then dense ids in order of first appearance in the file.
/// </summary>
public static class Preprocessing
{
    /// <summary>Applies <paramref name="options"/> to <paramref name="raw"/>.</summary>
    public static SequenceDataset Apply(RawInteractions raw, DataOptions options, string? name = null)
    {
        var n = raw.Count;
        var alive = new bool[n];
        Array.Fill(alive, true);
        var droppedByRating = DropBelowRating(raw, options.MinRating, alive);
        var order = ChronologicalOrder(raw);
        var droppedDuplicates = options.Deduplicate ? DropRepeats(raw, order, alive) : 0;
        var (droppedByFilter, rounds) = FilterByCounts(raw, alive, options.MinUserInteractions, options.MinItemInteractions);
        var report = new PreprocessReport(raw.UserTokens.Count, raw.ItemTokens.Count, n, droppedByRating, droppedDuplicates, droppedByFilter, rounds);
        return Remap(raw, order, alive, report, name ?? Path.GetFileNameWithoutExtension(raw.Path));
    }

    private static long DropBelowRating(RawInteractions raw, double? minRating, bool[] alive)
    {
        if (minRating is not { } min)
            return 0;
        if (raw.Rating is null)
            throw new UserInputException($"{raw.Path}: a rating threshold was given, but the {InteractionFormatNames.NameOf(raw.Format)} file has no ratings; expected a file with a rating column");
        long dropped = 0;
        for (var r = 0; r < raw.Count; r++)
            if (raw.Rating[r] < min) { alive[r] = false; dropped++; }
        return dropped;
    }

    /// <summary>Row indices grouped by user (users in first-appearance order), each group oldest first.</summary>
    internal static int[] ChronologicalOrder(RawInteractions raw)
    {
        var users = raw.UserTokens.Count;
        var start = new int[users + 1];
        for (var r = 0; r < raw.Count; r++) start[raw.User[r] + 1]++;
        for (var u = 0; u < users; u++) start[u + 1] += start[u];
        var order = new int[raw.Count];
        var fill = start[..^1].ToArray();
        for (var r = 0; r < raw.Count; r++) order[fill[raw.User[r]]++] = r;
        if (raw.Timestamp is { } time)
        {
            // Row index breaks ties, which makes the sort stable: equal timestamps keep file order.
            var comparer = Comparer<int>.Create((a, b) => time[a] != time[b] ? time[a].CompareTo(time[b]) : a.CompareTo(b));
            for (var u = 0; u < users; u++)
                Array.Sort(order, start[u], start[u + 1] - start[u], comparer);
        }
        return order;
    }

    private static long DropRepeats(RawInteractions raw, int[] order, bool[] alive)
    {
        var lastUserOfItem = new int[raw.ItemTokens.Count];
        Array.Fill(lastUserOfItem, -1);
        var seenInUser = new HashSet<int>();
        long dropped = 0;
        var currentUser = -1;
        foreach (var r in order)
        {
            if (raw.User[r] != currentUser) { currentUser = raw.User[r]; seenInUser.Clear(); }
            if (!alive[r]) continue;
            if (!seenInUser.Add(raw.Item[r])) { alive[r] = false; dropped++; }
        }
        return dropped;
    }

    /// <summary>
    /// RecBole's <c>_filter_by_inter_num</c>: count, ban every user and item under its minimum at
    /// once, drop their rows, and repeat until a round bans nothing.
    /// </summary>
    internal static (long Dropped, int Rounds) FilterByCounts(RawInteractions raw, bool[] alive, int minUser, int minItem)
    {
        if (minUser <= 0 && minItem <= 0)
            return (0, 0);
        var userCount = new int[raw.UserTokens.Count];
        var itemCount = new int[raw.ItemTokens.Count];
        long dropped = 0;
        var rounds = 0;
        while (true)
        {
            Array.Clear(userCount);
            Array.Clear(itemCount);
            for (var r = 0; r < raw.Count; r++)
                if (alive[r]) { userCount[raw.User[r]]++; itemCount[raw.Item[r]]++; }
            long droppedNow = 0;
            for (var r = 0; r < raw.Count; r++)
            {
                if (!alive[r]) continue;
                if ((minUser > 0 && userCount[raw.User[r]] < minUser) || (minItem > 0 && itemCount[raw.Item[r]] < minItem))
                {
                    alive[r] = false;
                    droppedNow++;
                }
            }
            if (droppedNow == 0)
                return (dropped, rounds);
            dropped += droppedNow;
            rounds++;
        }
    }

    private static SequenceDataset Remap(RawInteractions raw, int[] order, bool[] alive, PreprocessReport report, string name)
    {
        // Raw indices are in first-appearance order already, so numbering survivors in raw index
        // order keeps that order for dense ids.
        var userId = Enumerable.Repeat(-1, raw.UserTokens.Count).ToArray();
        var itemId = Enumerable.Repeat(-1, raw.ItemTokens.Count).ToArray();
        for (var r = 0; r < raw.Count; r++)
            if (alive[r]) { userId[raw.User[r]] = 0; itemId[raw.Item[r]] = 0; }
        var users = Number(userId, raw.UserTokens, firstId: 0);
        var items = Number(itemId, raw.ItemTokens, firstId: 1);
        if (users.Length == 0)
            throw new UserInputException($"{raw.Path}: no interactions are left after filtering ({report.RawInteractions} rows, {report.DroppedByRating} under the rating threshold, {report.DroppedDuplicates} repeats, {report.DroppedByFilter} removed by the minimum interactions per user and item); expected some users to remain: lower the minimums");
        var offsets = new int[users.Length + 1];
        var flat = new int[order.Length];
        var count = 0;
        var previousUser = -1;
        foreach (var r in order)
        {
            if (!alive[r]) continue;
            var u = userId[raw.User[r]];
            if (u != previousUser)
            {
                for (var v = previousUser + 1; v <= u; v++) offsets[v] = count;
                previousUser = u;
            }
            flat[count++] = itemId[raw.Item[r]];
        }
        for (var v = previousUser + 1; v <= users.Length; v++) offsets[v] = count;
        Array.Resize(ref flat, count);
        return new SequenceDataset(name, raw.Path, new IdMap(users, 0), new IdMap(items, 1), offsets, flat, report);
    }

    private static string[] Number(int[] ids, IReadOnlyList<string> tokens, int firstId)
    {
        var kept = new List<string>();
        for (var i = 0; i < ids.Length; i++)
            if (ids[i] == 0) { ids[i] = kept.Count + firstId; kept.Add(tokens[i]); }
        return [.. kept];
    }
}
