using System.Globalization;

namespace Grela.Runs;

/// <summary>What a configuration key accepts.</summary>
public enum ConfigKind { Integer, Number, Text, Choice, Boolean }

/// <summary>
/// One configuration key: its kebab-case name (the command-line option without dashes and the key in
/// config files), what it accepts, and how it reads from and writes into <see cref="TrainingConfig"/>.
/// </summary>
public sealed record ConfigKey(
    string Name,
    ConfigKind Kind,
    string Description,
    Func<TrainingConfig, object?> Get,
    Func<TrainingConfig, object?, TrainingConfig> Set,
    IReadOnlyList<string>? Choices = null,
    bool Nullable = false,
    bool Wide = false)
{
    /// <summary>"an integer", "a number", "one of a|b|c", "a string": used in error messages.</summary>
    public string Expected => Kind switch
    {
        ConfigKind.Integer => "an integer",
        ConfigKind.Number => "a number",
        ConfigKind.Boolean => "true or false",
        ConfigKind.Choice => $"one of {string.Join('|', Choices ?? [])}",
        _ => "a string",
    };

    /// <summary>
    /// Converts a raw value to this key's type, or says what was wrong. Numbers from files keep their
    /// kind: a quoted "5" is text and is not accepted where an integer is expected.
    /// </summary>
    public LanguageExt.Fin<ConfigValue> Parse(RawValue value)
    {
        if (value.Kind == RawKind.Null)
            return Nullable ? LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(null)) : Fail(value);
        switch (Kind)
        {
            case ConfigKind.Integer:
                if (value.Kind != RawKind.Number || !long.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                    return Fail(value);
                if (Wide)
                    return LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(l));
                return l is >= int.MinValue and <= int.MaxValue ? LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue((int)l)) : Fail(value);
            case ConfigKind.Number:
                if (value.Kind == RawKind.Number && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    return LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(d));
                return Fail(value);
            case ConfigKind.Boolean:
                return value.Kind == RawKind.Boolean ? LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(value.Text.Equals("true", StringComparison.OrdinalIgnoreCase))) : Fail(value);
            case ConfigKind.Choice:
                var choice = value.Text.Trim().ToLowerInvariant();
                return value.Kind == RawKind.Text && (Choices ?? []).Contains(choice) ? LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(choice)) : Fail(value);
            default:
                return value.Kind is RawKind.Text or RawKind.Number ? LanguageExt.Fin<ConfigValue>.Succ(new ConfigValue(value.Text)) : Fail(value);
        }
    }

    private LanguageExt.Fin<ConfigValue> Fail(RawValue value) =>
        LanguageExt.Fin<ConfigValue>.Fail($"'{Name}' expects {Expected}, got {value.Describe()}");
}

/// <summary>A typed config value (a box, so that null, "no data file", is a value too).</summary>
public sealed record ConfigValue(object? Value);

/// <summary>The kind of a raw scalar as the source wrote it (a file's quoting matters).</summary>
public enum RawKind { Text, Number, Boolean, Null, Structure }

/// <summary>A value as a source (command line, YAML or JSON file) gave it, before typing.</summary>
public sealed record RawValue(string Text, RawKind Kind)
{
    public static RawValue Of(int value) => new(value.ToString(CultureInfo.InvariantCulture), RawKind.Number);
    public static RawValue Of(long value) => new(value.ToString(CultureInfo.InvariantCulture), RawKind.Number);
    public static RawValue Of(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), RawKind.Number);
    public static RawValue Of(string value) => new(value, RawKind.Text);

    /// <summary>How an error message shows the value: quoted text, or the kind of structure.</summary>
    public string Describe() => Kind switch
    {
        RawKind.Text => $"\"{Text}\"",
        RawKind.Null => "null",
        RawKind.Structure => Text,
        _ => Text,
    };
}
