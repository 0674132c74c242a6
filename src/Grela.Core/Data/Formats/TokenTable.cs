namespace Grela.Data.Formats;

/// <summary>Interns original id tokens to indices in order of first appearance, without allocating for known tokens.</summary>
internal sealed class TokenTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _tokens = [];

    public TokenTable() => _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _tokens.Count;

    public int Intern(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out var id))
            return id;
        var text = token.ToString();
        id = _tokens.Count;
        _index.Add(text, id);
        _tokens.Add(text);
        return id;
    }

    public bool TryGet(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    public string[] Tokens() => [.. _tokens];
}
