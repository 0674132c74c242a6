using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Grela.Errors;

namespace Grela.Cli.Runs;

/// <summary>
/// A run's item ids both ways: the dataset's original ids (tokens) and the model's internal ids
/// 1..N (0 is padding). A run imported without a dataset has no tokens: its ids are the integers
/// themselves. Built once per run, so a server does not rebuild the lookup per request.
/// </summary>
internal sealed class ItemVocabulary
{
    private readonly ImmutableArray<string> _tokens;
    private readonly Dictionary<string, long>? _byToken;

    public ItemVocabulary(ImmutableArray<string> tokens, int itemCount)
    {
        _tokens = tokens;
        ItemCount = itemCount;
        _byToken = tokens.IsDefaultOrEmpty
            ? null
            : tokens.Select((t, i) => (t, i)).Where(p => p.i > 0).ToDictionary(p => p.t, p => (long)p.i, StringComparer.Ordinal);
    }

    /// <summary>The original ids by internal id (empty for integer ids).</summary>
    public ImmutableArray<string> Tokens => _tokens;

    /// <summary>Item ids including padding, as the model was built.</summary>
    public int ItemCount { get; }

    /// <summary>Whether ids are plain integers (no vocabulary): answers then carry JSON numbers.</summary>
    public bool IntegerIds => _byToken is null;

    /// <summary>The internal id of one original id, or null when the run does not know it.</summary>
    public long? Find(string word)
    {
        if (_byToken is not null)
            return _byToken.TryGetValue(word, out var id) ? id : null;
        return long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var raw) && raw >= 1 && raw < ItemCount ? raw : null;
    }

    /// <summary>Internal ids of a history; the first unknown id is an error that names it and <paramref name="origin"/>.</summary>
    public IReadOnlyList<long> ToIds(IReadOnlyList<string> words, string origin)
    {
        if (words.Count == 0)
            throw new UserInputException($"{origin}: expected at least one item id, got nothing");
        var ids = new long[words.Count];
        for (var i = 0; i < words.Count; i++)
            ids[i] = Find(words[i]) ?? throw new UserInputException(IntegerIds
                ? $"{origin}: \"{words[i]}\" is not an item id; this imported model takes integer ids 1..{ItemCount - 1}"
                : $"{origin}: item \"{words[i]}\" is not in the run's dataset ({ItemCount - 1} items)");
        return ids;
    }

    /// <summary>The original id of an internal id.</summary>
    public string Token(long id) => IntegerIds ? id.ToString(CultureInfo.InvariantCulture) : _tokens[(int)id];

    /// <summary>Items as JSON: strings, or numbers for a run without a vocabulary.</summary>
    public JsonArray ToJson(IEnumerable<string> items) =>
        new([.. items.Select(i => IntegerIds ? (JsonNode?)JsonValue.Create(long.Parse(i, CultureInfo.InvariantCulture)) : JsonValue.Create(i))]);
}
