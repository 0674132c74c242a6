namespace Grela.Text;

/// <summary>
/// How config files, config.json and the command line spell the values of a choice (an enum): the
/// shell parses a spelling once, here, and compares enum values from then on. The spellings are
/// listed in the order help and errors show them.
/// </summary>
public sealed class Spellings<T> where T : struct, Enum
{
    private readonly string _key;
    private readonly (string Name, T Value)[] _choices;

    /// <param name="key">The config key, which errors name.</param>
    /// <param name="choices">Every value of <typeparamref name="T"/> once, with its spelling.</param>
    public Spellings(string key, params (string Name, T Value)[] choices)
    {
        var values = Enum.GetValues<T>().Length;
        if (choices.Length != values || choices.Select(c => c.Value).Distinct().Count() != values)
            throw new ArgumentException($"{key}: every value of {typeof(T).Name} needs exactly one spelling", nameof(choices));
        if (choices.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != choices.Length)
            throw new ArgumentException($"{key}: a spelling names two values of {typeof(T).Name}", nameof(choices));
        _key = key;
        _choices = choices;
        Names = [.. choices.Select(c => c.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The value spelt <paramref name="name"/>, exactly as <see cref="Names"/> spells it.</summary>
    public T Parse(string name)
    {
        foreach (var (spelt, value) in _choices)
            if (spelt == name) return value;
        throw new ArgumentException($"{_key}: expected one of {string.Join(", ", Names)}, got \"{name}\"", nameof(name));
    }

    /// <summary>How <paramref name="value"/> is spelt (every value has a spelling: see the constructor).</summary>
    public string Name(T value) => _choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name;
}
