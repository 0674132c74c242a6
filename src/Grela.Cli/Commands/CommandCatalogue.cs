using System.CommandLine;
using Grela.Cli.Shell;

namespace Grela.Cli.Commands;

/// <summary>Every top-level grela command, in the order `grela --help` lists them.</summary>
public static class CommandCatalogue
{
    public static IEnumerable<Command> All(CliContext context) =>
    [
        TrainCommand.Create(context),
        EvaluateCommand.Create(context),
        RecommendCommand.Create(context),
        ServeCommand.Create(context),
        ExportCommand.Create(context),
        ImportCommand.Create(context),
        AverageCommand.Create(context),
        DataCommands.Create(context),
        DoctorCommand.Create(context),
        BenchCommands.Create(context),
        Parallel.WorkerCommand.Create(context),
    ];
}
