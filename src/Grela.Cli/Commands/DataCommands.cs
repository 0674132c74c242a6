using System.CommandLine;

namespace Grela.Cli.Commands;

/// <summary>`grela data stats|check PATH`.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Inspect and validate interaction files.");
        data.Subcommands.Add(DataStatsCommand.Create());
        data.Subcommands.Add(DataCheckCommand.Create());
        return data;
    }
}
