using System.CommandLine;
using Grela.Cli.Shell;

namespace Grela.Cli.Commands;

/// <summary>`grela data stats|check PATH`.</summary>
public static class DataCommands
{
    public static Command Create(CliContext context)
    {
        var data = new Command("data", "Inspect and validate interaction files.");
        data.Subcommands.Add(DataStatsCommand.Create(context));
        data.Subcommands.Add(DataCheckCommand.Create(context));
        return data;
    }
}
