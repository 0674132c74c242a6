using System.CommandLine;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Runs;
using Grela.Training;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela evaluate --run DIR [--checkpoint best|last] [--weights average|training] [--data PATH] [--json]`: re-evaluate a run's best (or last) checkpoint.</summary>
internal static class EvaluateCommand
{
    private static readonly Text.Spellings<CheckpointKind> Checkpoints = new("checkpoint",
        ("best", CheckpointKind.Best), ("last", CheckpointKind.Last));

    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Re-evaluate the best (or last) checkpoint of a run on its validation and test items (full ranking).");
        var options = new RunOptions();
        // The best checkpoint is the one model selection chose; the last one shows what the selection gained or lost.
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "which checkpoint: best (model selection on validation NDCG@10) or last (the end of training, or where it was interrupted)",
            DefaultValueFactory = _ => "best",
        };
        checkpoint.AcceptOnlyFromAmong([.. Checkpoints.Names]);
        // Paired with the same checkpoint, the two show what the weight average (ema-decay) gains.
        var weights = CommonOptions.Weights(
            "average: the checkpoint's weight average where training kept one (ema-decay), else its training weights; training: the weights the optimizer stepped",
            CheckpointWeights.Average);
        var data = new Option<string?>("--data") { Description = "interaction file to evaluate on (default: the run's own dataset)", HelpName = "PATH" };
        // The run's config key, so --format takes the names train takes (default: the run's).
        var format = new ConfigOptions(["format"]);
        options.AddTo(command, [checkpoint, weights, data, .. format.Options]);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = options.Output(context, parse);
            var which = parse.GetValue(checkpoint)!;
            using var loaded = options.Open(parse, Checkpoints.Parse(which), CommonOptions.WeightNames.Parse(parse.GetValue(weights)!));
            var weightsUsed = CommonOptions.WeightNames.Name(loaded.Weights);
            var result = EvaluateRun.Execute(new EvaluateRequest(loaded, parse.GetValue(data), format.Given(parse)), output);
            var (valid, test) = (result.Valid, result.Test);
            output.Human.MarkupLine(Markup.Escape($"{result.Model} ({loaded.Folder.Root}, {which} checkpoint, {weightsUsed} weights, step {loaded.Header.Progress.Step}) on {result.Dataset.Name}"));
            var table = new Table();
            table.AddColumn("metric");
            table.AddColumn(new TableColumn("valid").RightAligned());
            table.AddColumn(new TableColumn("test").RightAligned());
            foreach (var (name, value) in MetricNames.Ordered(test))
                table.AddRow(name, valid.TryGetValue(name, out var v) ? v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "-",
                    value.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
            output.Human.Write(table);
            output.Machine(new JsonObject
            {
                ["model"] = result.Model,
                ["dataset"] = result.Dataset.Name,
                ["checkpoint"] = which,
                ["weights"] = weightsUsed,
                ["step"] = loaded.Header.Progress.Step,
                ["valid"] = MetricsReport.Metrics(valid),
                ["test"] = MetricsReport.Metrics(test),
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
