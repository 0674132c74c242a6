using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Grela.Cli.Shell;
using Grela.Errors;
using Spectre.Console;

namespace Grela.Cli.Commands;

/// <summary>`grela recommend --run DIR --history "i1 i2 ..." [--top K] [--json]`.</summary>
internal static class RecommendCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("recommend", "Top-K next items for a history given in the dataset's original item ids (oldest first).");
        var options = new RunOptions();
        var history = new Option<string>("--history") { Description = "the history, oldest first: ids separated by spaces, or a JSON array of ids (for ids with spaces)", HelpName = "\"i1 i2 ...\"" };
        var historyFile = new Option<string>("--history-file") { Description = "the history from a file: one item id per line, oldest first", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "how many items to return", HelpName = "K", DefaultValueFactory = _ => 10 };
        options.AddTo(command, history, historyFile, top);
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var output = options.Output(context, parse);
            var k = parse.GetValue(top);
            if (k <= 0)
                throw new UserInputException($"--top: expected a positive number of items, got {k}");
            var words = (parse.GetValue(history), parse.GetValue(historyFile)) switch
            {
                ({ } text, null) => Recommender.Words(text, "--history"),
                (null, { } file) => Recommender.FileWords(file),
                (null, null) => throw new UserInputException("give the history with --history \"i1 i2 ...\" (or a JSON array) or --history-file FILE"),
                _ => throw new UserInputException("give the history once: --history or --history-file, not both"),
            };
            using var loaded = options.Open(parse);
            var ids = Recommender.ToIds(words, loaded.Header.ItemTokens, loaded.ItemCount);
            var result = Recommender.Recommend(loaded.Model, ids, loaded.Config.MaxLen, k, loaded.Header.ItemTokens, loaded.Device.Device);
            if (result.Scores.Any(s => !double.IsFinite(s)))
                output.Warn("the model gives NaN or infinite scores (its weights may be corrupt); the ranking is meaningless");
            var table = new Table().AddColumn("rank").AddColumn("item").AddColumn(new TableColumn("score").RightAligned());
            for (var i = 0; i < result.Items.Count; i++)
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(result.Items[i]), Recommender.ShowScore(result.Scores[i]));
            output.Human.Write(table);
            output.Machine(new JsonObject
            {
                // A run without a vocabulary (imported without a dataset) answers integer ids.
                ["items"] = new ItemVocabulary(loaded.Header.ItemTokens, loaded.ItemCount).ToJson(result.Items),
                ["scores"] = Recommender.ScoresJson(result.Scores),
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
