namespace Grela.Data.Formats;

/// <summary>Accumulates rows into growable columns while a reader walks a file.</summary>
internal sealed class RawInteractionsBuilder(string path, InteractionFormat format, bool hasRating, bool hasTimestamp)
{
    private readonly TokenTable _users = new();
    private readonly TokenTable _items = new();
    private int[] _user = new int[1024];
    private int[] _item = new int[1024];
    private int[] _line = new int[1024];
    private double[]? _rating = hasRating ? new double[1024] : null;
    private double[]? _timestamp = hasTimestamp ? new double[1024] : null;
    private int _count;

    public int Count => _count;

    public int InternUser(ReadOnlySpan<char> token) => _users.Intern(token);

    public bool TryGetUser(ReadOnlySpan<char> token, out int user) => _users.TryGet(token, out user);

    public void Add(int user, ReadOnlySpan<char> item, int line, double rating = double.NaN, double timestamp = double.NaN)
    {
        if (_count == _user.Length)
            Grow();
        _user[_count] = user;
        _item[_count] = _items.Intern(item);
        _line[_count] = line;
        if (_rating is not null) _rating[_count] = rating;
        if (_timestamp is not null) _timestamp[_count] = timestamp;
        _count++;
    }

    public RawInteractions Build()
    {
        if (_count == 0)
            throw DataFileError.InFile(path, $"no interactions found; expected {InteractionFormatNames.Layout(format)}");
        return new RawInteractions(path, format, _users, _items, _user, _item, _rating, _timestamp, _line, _count);
    }

    private void Grow()
    {
        var size = _user.Length * 2;
        Array.Resize(ref _user, size);
        Array.Resize(ref _item, size);
        Array.Resize(ref _line, size);
        if (_rating is not null) Array.Resize(ref _rating, size);
        if (_timestamp is not null) Array.Resize(ref _timestamp, size);
    }
}
