namespace Grela.Runs;

/// <summary>
/// Key/value pairs from one place (the command line, a config file, a dataset's defaults), with a
/// name for that place used in error messages ("config file run.yaml", "command line") and, where
/// the place spells keys its own way (a command line's options), how a message names a key there.
/// </summary>
public sealed record ConfigSource(string Origin, IReadOnlyList<KeyValuePair<string, RawValue>> Values, Func<string, string>? KeyName = null)
{
    public static ConfigSource Empty(string origin) => new(origin, []);

    /// <summary>A message about <paramref name="key"/> with the key spelt as this source spells it.</summary>
    public string Spell(string message, string key) => KeyName is null ? message : message.Replace($"'{key}'", KeyName(key));
}
