using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Grela.Runs;

namespace Grela.Cli.Commands;

/// <summary>
/// One command-line option per configuration key (<see cref="ConfigCatalogue"/>): `--epochs` for key
/// `epochs`. Only the options the user actually gave become a config source, so that the config
/// file and the defaults fill in the rest.
/// </summary>
internal sealed class ConfigOptions
{
    private readonly List<(ConfigKey Key, Option Option, Func<ParseResult, RawValue?> Read)> _options = [];

    public ConfigOptions(IEnumerable<string> keys)
    {
        foreach (var name in keys)
        {
            var key = ConfigCatalogue.Find(name) ?? throw new ArgumentException($"no config key {name}");
            _options.Add(Create(key));
        }
    }

    /// <summary>Every config key as an option.</summary>
    public static ConfigOptions All() => new(ConfigCatalogue.Keys.Select(k => k.Name));

    public IEnumerable<Option> Options => _options.Select(o => o.Option);

    public void AddTo(Command command)
    {
        foreach (var option in Options)
            command.Options.Add(option);
    }

    /// <summary>The options given on this command line, as a config source.</summary>
    public ConfigSource Given(ParseResult parse) =>
        new("command line", _options
            .Select(o => (o.Key, Value: parse.GetResult(o.Option) is null ? null : o.Read(parse)))
            .Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<string, RawValue>(p.Key.Name, p.Value!))
            .ToList(), key => "--" + key);

    /// <summary>Whether the user gave the option of <paramref name="key"/>.</summary>
    public bool WasGiven(ParseResult parse, string key) =>
        _options.Any(o => o.Key.Name == key && parse.GetResult(o.Option) is not null);

    private static (ConfigKey, Option, Func<ParseResult, RawValue?>) Create(ConfigKey key)
    {
        var name = "--" + key.Name;
        switch (key.Kind)
        {
            case ConfigKind.Integer:
            {
                var option = new Option<string>(name) { Description = key.Description, HelpName = "N" };
                option.Validators.Add(result => Check(result, key, long.TryParse(Token(result), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)));
                return (key, option, p => new RawValue(p.GetValue(option)!, RawKind.Number));
            }
            case ConfigKind.Number:
            {
                var option = new Option<string>(name) { Description = key.Description, HelpName = "X" };
                option.Validators.Add(result => Check(result, key, double.TryParse(Token(result), NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
                return (key, option, p => new RawValue(p.GetValue(option)!, RawKind.Number));
            }
            case ConfigKind.Boolean:
            {
                var option = new Option<bool>(name) { Description = key.Description };
                return (key, option, p => new RawValue(p.GetValue(option) ? "true" : "false", RawKind.Boolean));
            }
            case ConfigKind.Choice:
            {
                // --format is declared once for every command (CommonOptions.Format); its values are too many to list in the usage line.
                var option = key.Name == "format"
                    ? CommonOptions.Format(key.Description, key.Choices!, helpName: "F")
                    : new Option<string>(name) { Description = key.Description, HelpName = string.Join('|', key.Choices!) }.OnlyAmong(key.Choices!);
                return (key, option, p => RawValue.Of(p.GetValue(option)!));
            }
            default:
            {
                var option = new Option<string>(name) { Description = key.Description, HelpName = key.Name == "data" ? "PATH" : "F" };
                return (key, option, p => RawValue.Of(p.GetValue(option)!));
            }
        }
    }

    private static string Token(OptionResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    /// <summary>The parse error reads like the config file's: the option, what it expects, what it got.</summary>
    private static void Check(OptionResult result, ConfigKey key, bool ok)
    {
        if (!ok)
            result.AddError($"--{key.Name}: expected {key.Expected}, got \"{Token(result)}\"");
    }
}
