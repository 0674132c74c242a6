using System.CommandLine;
using Grela.Cli.Runs;
using Grela.Data;
using Grela.Runs;

namespace Grela.Cli.Commands;

/// <summary>
/// The dataset options of <c>data stats</c> and <c>data check</c>: the config keys that choose how a
/// file is read and filtered, declared by <see cref="ConfigOptions"/> as <c>train</c> declares them and
/// mapped by <see cref="TrainingConfig.ToDataOptions"/> as a run maps them. Sharing both steps is
/// what makes the same flags give the same dataset in every command.
/// </summary>
public sealed class DataOptionSet
{
    /// <summary>The config keys that decide which interactions a dataset holds.</summary>
    public static readonly IReadOnlyList<string> Keys = ["format", "min-user", "min-item", "min-rating", "dedup"];

    private readonly ConfigOptions _options = new(Keys);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => _options.AddTo(command);

    /// <summary>The options as given on the command line over the defaults; bad values are user errors.</summary>
    public DataOptions Read(ParseResult parse) =>
        ConfigResolution.Resolve(new TrainingConfig(), _options.Given(parse))
            .Match(c => c, errors => throw RunDefaults.Invalid(errors)).ToDataOptions();
}
