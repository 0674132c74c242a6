using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Grela.Runs;

/// <summary>
/// What a run records about its dataset (metrics.json's "dataset", checkpoint headers). A resumed or
/// re-evaluated run must see the same dataset: the same counts and, when recorded, the same
/// <see cref="ContentHash"/> (SHA-256 of the preprocessed sequences and the item tokens; empty for
/// checkpoints written before it existed and for runs imported without a dataset).
/// </summary>
public sealed record DatasetInfo(string Name, int Users, int Items, long Interactions)
{
    public string ContentHash { get; init; } = "";

    /// <summary>{"name","users","items","interactions"[,"content_hash"]}: the shape metrics.json and checkpoints share.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["users"] = Users,
            ["items"] = Items,
            ["interactions"] = Interactions,
        };
        if (ContentHash.Length > 0)
            json["content_hash"] = ContentHash;
        return json;
    }

    public override string ToString() => $"{Name} ({Users} users, {Items} items, {Interactions} interactions)";

    /// <summary>
    /// "item vocabulary: K of N ids now name other items (...)" when two vocabularies of the same size
    /// map some id to another token (the embeddings would score the wrong items); null otherwise.
    /// </summary>
    public static string? MovedIds(ImmutableArray<string> savedTokens, ImmutableArray<string> nowTokens)
    {
        if (savedTokens.IsDefaultOrEmpty || nowTokens.IsDefaultOrEmpty || savedTokens.Length != nowTokens.Length)
            return null;
        var moved = Enumerable.Range(1, savedTokens.Length - 1).Where(i => savedTokens[i] != nowTokens[i]).ToList();
        return moved.Count == 0 ? null
            : $"item vocabulary: {moved.Count} of {savedTokens.Length - 1} ids now name other items (id {moved[0]} was \"{savedTokens[moved[0]]}\", now \"{nowTokens[moved[0]]}\")";
    }

    /// <summary>
    /// Every way <paramref name="now"/> (with its item tokens) differs from the dataset a run was
    /// trained on (this, with <paramref name="savedTokens"/>): counts, the item vocabulary (ids that
    /// now name another item), the content. Empty when they are the same dataset. A content hash is
    /// compared only when both sides have one (checkpoints written before hashes existed).
    /// </summary>
    public IReadOnlyList<string> Differences(ImmutableArray<string> savedTokens, DatasetInfo now, ImmutableArray<string> nowTokens)
    {
        var changes = new List<string>();
        if (Users != now.Users)
            changes.Add($"users {Users} -> {now.Users}");
        if (Items != now.Items)
            changes.Add($"items {Items} -> {now.Items}");
        if (Interactions != now.Interactions)
            changes.Add($"interactions {Interactions} -> {now.Interactions}");
        if (MovedIds(savedTokens, nowTokens) is { } moved)
            changes.Add(moved);
        if (changes.Count == 0 && ContentHash.Length > 0 && now.ContentHash.Length > 0 && ContentHash != now.ContentHash)
            changes.Add($"content (the preprocessed sequences differ: hash {ContentHash[..12]}… -> {now.ContentHash[..12]}…)");
        return changes;
    }
}
