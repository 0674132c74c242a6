using System.CommandLine;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Runs;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela average --run DIR --epochs A-B [--weights training|average] --out DIR2 [--json]`: average a run's per-epoch weights into a new run folder.</summary>
internal static class AverageCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("average",
            "Average the weights a run kept at the end of consecutive epochs (train --keep-epochs) into a new run folder for evaluate, recommend, serve and export.");
        var run = CommonOptions.Run();
        var epochs = new Option<string>("--epochs") { Description = "epochs to average, FIRST-LAST (inclusive, numbered from 0 as in history.csv) or one epoch", HelpName = "FIRST-LAST", Required = true };
        var weights = CommonOptions.Weights(
            "training: the weights the optimizer stepped; average: each checkpoint's weight average where training kept one (ema-decay), else its training weights",
            CheckpointWeights.Training);
        var outDir = new Option<string>("--out") { Description = "new run folder to write (config.json and best.ckpt)", HelpName = "DIR", Required = true };
        var json = CommonOptions.Json();
        foreach (var option in new Option[] { run, epochs, weights, outDir, json })
            command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var (first, last) = AverageRun.ParseEpochs(parse.GetValue(epochs)!);
            var which = CommonOptions.WeightNames.Parse(parse.GetValue(weights)!);
            var result = AverageRun.Execute(new AverageRequest(parse.GetValue(run)!, first, last, which, parse.GetValue(outDir)!));
            output.Human.MarkupLine(Markup.Escape(
                $"averaged the {CommonOptions.WeightNames.Name(result.Weights)} weights of epochs {first}-{last} ({result.Epochs.Count} checkpoints) of {result.Model} into {result.Folder.Best}; " +
                $"score it with: grela evaluate --run {result.Folder.Root}"));
            output.Machine(new JsonObject
            {
                ["run"] = result.Folder.Root,
                ["model"] = result.Model,
                ["epochs"] = new JsonArray([.. result.Epochs.Select(e => (JsonNode)e)]),
                ["weights"] = CommonOptions.WeightNames.Name(result.Weights),
                ["step"] = result.Step,
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
