using System.CommandLine;

namespace Grela.Cli.Commands;

/// <summary>Every top-level grela command, in the order `grela --help` lists them.</summary>
public static class CommandCatalogue
{
    public static IEnumerable<Command> All() =>
    [
        DataCommands.Create(),
    ];
}
