namespace Grela.Training;

/// <summary>
/// Key/value pairs from one place (the command line, a config file, a dataset's defaults), with a
/// name for that place used in error messages ("config file run.yaml", "command line").
/// </summary>
public sealed record ConfigSource(string Origin, IReadOnlyList<KeyValuePair<string, RawValue>> Values)
{
    public static ConfigSource Empty(string origin) => new(origin, []);
}
