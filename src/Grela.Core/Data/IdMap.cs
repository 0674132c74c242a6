namespace Grela.Data;

/// <summary>
/// Dense ids to the user's original tokens and back. Ids run from <see cref="FirstId"/> to
/// <see cref="LastId"/>; items start at 1 because 0 is padding, users start at 0.
/// </summary>
public sealed class IdMap
{
    /// <summary>The token shown for the padding item id 0.</summary>
    public const string PaddingToken = "[PAD]";

    private readonly string[] _tokens;
    private readonly Lazy<Dictionary<string, int>> _ids;

    internal IdMap(string[] tokens, int firstId)
    {
        _tokens = tokens;
        FirstId = firstId;
        _ids = new Lazy<Dictionary<string, int>>(() =>
        {
            var ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
            for (var i = 0; i < _tokens.Length; i++)
                ids[_tokens[i]] = i + FirstId;
            return ids;
        });
    }

    /// <summary>The smallest real id (1 for items, 0 for users).</summary>
    public int FirstId { get; }
    /// <summary>Number of real ids (padding excluded).</summary>
    public int Count => _tokens.Length;
    /// <summary>The largest real id.</summary>
    public int LastId => FirstId + _tokens.Length - 1;

    /// <summary>The original token of a dense id (<see cref="PaddingToken"/> for item id 0).</summary>
    public string Token(int id) =>
        id >= FirstId && id <= LastId ? _tokens[id - FirstId]
        : id == 0 && FirstId == 1 ? PaddingToken
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"expected an id in [{FirstId}, {LastId}]");

    /// <summary>The dense id of an original token, if the dataset has it.</summary>
    public bool TryGetId(string token, out int id) => _ids.Value.TryGetValue(token, out id);

    /// <summary>All tokens in id order, starting at <see cref="FirstId"/>.</summary>
    public IReadOnlyList<string> Tokens => _tokens;
}
