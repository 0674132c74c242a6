using System.CommandLine;
using Grela.Cli.Runs;
using Grela.Cli.Shell;

namespace Grela.Cli.Commands;

/// <summary>`grela train`: train a model, leave a run folder behind.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("train",
            "Train a model (default RecGRELA on the built-in synthetic dataset) and evaluate it beside popularity. " +
            "Precedence: command line > --config file > defaults.");
        var config = ConfigOptions.All();
        config.AddTo(command);
        var file = new Option<string?>("--config") { Description = "YAML or JSON file of config keys (same names as these options)", HelpName = "FILE" };
        var outDir = new Option<string?>("--out") { Description = "run folder to create (default runs/<model>-<dataset>-<time>)", HelpName = "DIR" };
        var resume = new Option<string?>("--resume") { Description = "continue the run in this folder from its `last` checkpoint", HelpName = "DIR" };
        var json = CommonOptions.Json();
        var ignoreMemory = new Option<bool>("--ignore-memory-estimate") { Description = "train even when the estimated peak memory exceeds what is available" };
        command.Options.Add(ignoreMemory);
        command.Options.Add(file);
        command.Options.Add(outDir);
        command.Options.Add(resume);
        command.Options.Add(json);
        command.SetAction(parse => CommandRunner.Run(context, () =>
            TrainRun.Execute(
                new TrainRequest(config.Given(parse), parse.GetValue(file), parse.GetValue(outDir), parse.GetValue(resume), parse.GetValue(ignoreMemory)),
                new CliOutput(context, parse.GetValue(json)))));
        return command;
    }
}
