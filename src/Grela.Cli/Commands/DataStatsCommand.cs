using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Grela.Cli.Shell;
using Grela.Data;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary><c>grela data stats PATH</c>: sizes, length distribution and split counts after filtering.</summary>
public static class DataStatsCommand
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "Interaction file, folder with one, or a dataset name such as synthetic[:users=N,items=N,seed=N]." };
        var maxLen = new Option<int>("--max-len") { Description = "History window of the split (RecBole MAX_ITEM_LIST_LENGTH).", DefaultValueFactory = _ => 200 };
        var json = new Option<bool>("--json") { Description = "Print JSON only." };
        var data = new DataOptionSet();
        var command = new Command("stats", "Users, items, interactions and sequence lengths after filtering, and the leave-one-out split.") { path, maxLen, json };
        data.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = new CliOutput(context, parse.GetValue(json));
            var summary = Summarize(parse.GetValue(path)!, data.Read(parse), parse.GetValue(maxLen));
            if (output.Json) context.Out.WriteLine(ToJson(summary));
            else Render(summary, output.Human);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Loads, filters and splits a dataset and summarises it.</summary>
    public static DatasetSummary Summarize(string source, DataOptions options, int maxLength)
    {
        if (maxLength < 1)
            throw new Errors.UserInputException($"--max-len must be at least 1; got {maxLength}");
        return DatasetSummary.Of(LeaveOneOutSplit.Create(DatasetLoader.Load(source, options), maxLength));
    }

    /// <summary>The summary as indented snake_case JSON.</summary>
    public static string ToJson(DatasetSummary summary) => JsonSerializer.Serialize(summary, Json);

    /// <summary>The summary as tables.</summary>
    public static void Render(DatasetSummary s, IAnsiConsole console)
    {
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        var p = s.Preprocessing;
        console.MarkupLine(s.Source == s.Name ? $"[bold]{Markup.Escape(s.Name)}[/]" : $"[bold]{Markup.Escape(s.Name)}[/] ({Markup.Escape(s.Source)})");
        var table = new Table().AddColumn("").AddColumn(new TableColumn("after filtering").RightAligned()).AddColumn(new TableColumn("in the file").RightAligned());
        table.AddRow("users", N(s.Users), N(p.RawUsers));
        table.AddRow("items", N(s.Items), N(p.RawItems));
        table.AddRow("interactions", N(s.Interactions), N(p.RawInteractions));
        console.Write(table);
        var lengths = new Table().AddColumn("sequence length").AddColumn(new TableColumn("items").RightAligned());
        lengths.AddRow("min", N(s.Lengths.Min));
        lengths.AddRow("mean", s.Lengths.Mean.ToString("F2", CultureInfo.InvariantCulture));
        lengths.AddRow("median", N(s.Lengths.Median));
        lengths.AddRow("90th percentile", N(s.Lengths.P90));
        lengths.AddRow("max", N(s.Lengths.Max));
        console.Write(lengths);
        var split = new Table().AddColumn($"leave-one-out, window {s.MaxLength}").AddColumn(new TableColumn("count").RightAligned());
        split.AddRow("training samples per epoch (prefix style)", N(s.PrefixSamples));
        split.AddRow("users with a validation target", N(s.ValidationUsers));
        split.AddRow("users with a test target", N(s.TestUsers));
        split.AddRow("users in training only (< 3 items)", N(s.TrainOnlyUsers));
        split.AddRow($"users whose history is cut to the last {s.MaxLength}", N(s.TruncatedUsers));
        split.AddRow("dropped: under the rating threshold", N(p.DroppedByRating));
        split.AddRow("dropped: repeats (--dedup)", N(p.DroppedDuplicates));
        split.AddRow($"dropped: minimum counts ({p.FilterRounds} rounds)", N(p.DroppedByFilter));
        console.Write(split);
    }
}
