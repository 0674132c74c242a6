using System.CommandLine;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Runs;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela evaluate --run DIR [--data PATH] [--json]`: re-evaluate a run's best checkpoint.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Re-evaluate the best checkpoint of a run on its validation and test items (full ranking).");
        var options = new RunOptions();
        var data = new Option<string?>("--data") { Description = "interaction file to evaluate on (default: the run's own dataset)", HelpName = "PATH" };
        // The run's config key, so --format takes the names train takes (default: the run's).
        var format = new ConfigOptions(["format"]);
        options.AddTo(command, [data, .. format.Options]);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = options.Output(context, parse);
            using var loaded = options.Open(parse);
            var config = loaded.Config;
            if (parse.GetValue(data) is { } path)
                config = ConfigResolution.Resolve(config with { Data = path }, format.Given(parse)).Match(c => c, errors => throw RunDefaults.Invalid(errors));
            else if (loaded.Header.Dataset.Users == 0)
                throw new UserInputException($"--run {loaded.Folder.Root}: the run was imported without a dataset; give --data PATH to evaluate it");
            var dataset = RunDataLoader.Load(config, output);
            if (dataset.ItemCount != loaded.ItemCount)
                throw new UserInputException($"--data {config.Data ?? "(synthetic)"}: {dataset.Summary.Items} items, but the model of {loaded.Folder.Root} scores {loaded.ItemCount - 1} items");
            // Another file may be evaluated, but never with the ids of the run's items moved to other items.
            if (parse.GetValue(data) is not null && DatasetInfo.MovedIds(loaded.Header.ItemTokens, dataset.ItemTokens) is { } moved)
                throw new UserInputException($"--data {config.Data}: {moved}; the model's embeddings belong to the run's items");
            if (parse.GetValue(data) is null && loaded.Header.Dataset.Differences(loaded.Header.ItemTokens, dataset.Summary, dataset.ItemTokens) is { Count: > 0 } changes)
                throw new UserInputException($"the run's dataset changed: trained on {loaded.Header.Dataset}; now: {string.Join("; ", changes)}");
            var valid = dataset.Evaluator(HeldOut.Valid, loaded.Device.Device).Evaluate(loaded.Model);
            var test = dataset.Evaluator(HeldOut.Test, loaded.Device.Device).Evaluate(loaded.Model);
            output.Human.MarkupLine(Markup.Escape($"{config.Model} ({loaded.Folder.Root}) on {dataset.Summary.Name}"));
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
                ["model"] = config.Model,
                ["dataset"] = dataset.Summary.Name,
                ["valid"] = MetricsReport.Metrics(valid),
                ["test"] = MetricsReport.Metrics(test),
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
