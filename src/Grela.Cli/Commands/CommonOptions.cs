using System.CommandLine;

namespace Grela.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() =>
        new("--json") { Description = "print only machine-readable JSON on stdout (human output goes to stderr)" };

    public static Option<string> Run() =>
        new("--run") { Description = "run folder (from grela train or grela import)", HelpName = "DIR", Required = true };

    public static Option<string?> Device() =>
        new Option<string?>("--device") { Description = "where tensors live", HelpName = "auto|cpu|cuda" }.FromAmong("auto", "cpu", "cuda");

    public static Option<int?> Threads() =>
        new("--threads") { Description = "CPU threads for tensor kernels (0: library default)", HelpName = "N" };

    /// <summary>The spellings of <c>--weights</c>: a checkpoint's weight average or the weights training stepped.</summary>
    public static readonly Grela.Text.Spellings<Grela.Runs.CheckpointWeights> WeightNames = new("weights",
        ("average", Grela.Runs.CheckpointWeights.Average), ("training", Grela.Runs.CheckpointWeights.Training));

    /// <summary><c>--weights average|training</c>; each command says what each means for it and which is its default.</summary>
    public static Option<string> Weights(string description, Grela.Runs.CheckpointWeights defaultWeights)
    {
        var option = new Option<string>("--weights") { Description = description, DefaultValueFactory = _ => WeightNames.Name(defaultWeights) };
        option.AcceptOnlyFromAmong([.. WeightNames.Names]);
        return option;
    }

    /// <summary>
    /// <c>--format</c>, declared here once for every command that takes one; each command says what it
    /// is the format of and which values it accepts: the interaction file (train, evaluate, data
    /// stats/check, through the <c>format</c> config key's choices, help name F) or the weight file
    /// (export: safetensors|pt, required). Help shows <paramref name="helpName"/>, else the values.
    /// </summary>
    public static Option<string> Format(string description, IReadOnlyList<string> values, string? helpName = null, bool required = false) =>
        new Option<string>("--format") { Description = description, HelpName = helpName ?? string.Join('|', values), Required = required }.OnlyAmong(values);

    /// <summary>
    /// Refuses a value outside <paramref name="values"/> (exact spelling) at parse time, in the words
    /// a config key's error uses: <c>--name: expected one of a|b, got "x"</c>.
    /// </summary>
    public static Option<string> OnlyAmong(this Option<string> option, IReadOnlyList<string> values)
    {
        option.Validators.Add(result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!values.Contains(token))
                result.AddError($"{option.Name}: expected one of {string.Join('|', values)}, got \"{token}\"");
        });
        return option;
    }

    private static Option<string?> FromAmong(this Option<string?> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}

/// <summary>
/// The options of a command that opens a finished run (<c>--run</c>, <c>--device</c>,
/// <c>--threads</c>, <c>--json</c>) and the two steps each such command starts with.
/// </summary>
internal sealed class RunOptions
{
    public Option<string> Run { get; } = CommonOptions.Run();
    public Option<string?> Device { get; } = CommonOptions.Device();
    public Option<int?> Threads { get; } = CommonOptions.Threads();
    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>Adds <paramref name="own"/> after <c>--run</c> and before the shared device, thread and JSON options, the order help lists them in.</summary>
    public void AddTo(Command command, params Option[] own)
    {
        foreach (var option in new Option[] { Run }.Concat(own).Concat([Device, Threads, Json]))
            command.Options.Add(option);
    }

    public Shell.CliOutput Output(Shell.CliContext context, ParseResult parse) => new(context, parse.GetValue(Json));

    public Runs.LoadedRun Open(ParseResult parse, Grela.Training.CheckpointKind kind = Grela.Training.CheckpointKind.Best,
        Grela.Runs.CheckpointWeights weights = Grela.Runs.CheckpointWeights.Average) =>
        Runs.LoadedRun.Open(parse.GetValue(Run)!, parse.GetValue(Device), parse.GetValue(Threads), kind, weights);
}
