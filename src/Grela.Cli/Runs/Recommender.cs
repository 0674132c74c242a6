using System.Collections.Immutable;
using System.Globalization;
using Grela.Errors;
using Grela.Data.Batching;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>A recommendation: item ids as the dataset wrote them, best first, with their scores.</summary>
internal sealed record Recommendations(IReadOnlyList<string> Items, IReadOnlyList<double> Scores);

/// <summary>
/// Top-K items for one unseen history. The history is given in the dataset's original item ids
/// (or as integer ids when the run has no vocabulary); padding is never recommended.
/// </summary>
internal static class Recommender
{
    /// <summary>
    /// The ids of a history given on the command line: a JSON array of strings or integers when the
    /// text starts with '[' (ids that contain spaces), otherwise ids separated by spaces, commas,
    /// tabs or newlines.
    /// </summary>
    public static IReadOnlyList<string> Words(string history, string origin)
    {
        if (!history.TrimStart().StartsWith('['))
            return history.Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(history);
            return [.. json.RootElement.EnumerateArray().Select(e => WordOf(e, origin))];
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new UserInputException($"{origin}: a history starting with '[' must be a JSON array of item ids ({e.Message})", e);
        }
    }

    /// <summary>The ids of a history file: one id per line (spaces inside an id are kept), blank lines skipped.</summary>
    public static IReadOnlyList<string> FileWords(string path)
    {
        var lines = Grela.IO.InputFile.ReadLines(path, "a history file (one item id per line, oldest first)", maxBytes: 64 << 20);
        return [.. lines.Where(l => l.Trim().Length > 0)];
    }

    private static string DataShort(string text) => text.Length > 40 ? text[..40] + "…" : text;

    public static IReadOnlyList<long> ToIds(IReadOnlyList<string> words, ImmutableArray<string> tokens, int itemCount) =>
        new ItemVocabulary(tokens, itemCount).ToIds(words, "--history");

    /// <summary>One JSON array element of a history: a string id, or an integer written as its text.</summary>
    public static string WordOf(System.Text.Json.JsonElement e, string origin) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => e.GetString()!,
        System.Text.Json.JsonValueKind.Number => e.GetRawText(),
        _ => throw new UserInputException($"{origin}: expected a JSON array of item ids (strings or integers), got {e.ValueKind.ToString().ToLowerInvariant()} {DataShort(e.GetRawText())}"),
    };

    /// <summary>Scores as JSON: JSON has no NaN or infinity, so a non-finite score is null.</summary>
    public static System.Text.Json.Nodes.JsonArray ScoresJson(IEnumerable<double> scores) =>
        new([.. scores.Select(s => double.IsFinite(s) ? (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(s) : null)]);

    /// <summary>A score as the table shows it (non-finite scores as nan, inf, -inf).</summary>
    public static string ShowScore(double score) =>
        double.IsNaN(score) ? "nan" : double.IsInfinity(score) ? (score > 0 ? "inf" : "-inf") : score.ToString("F4", CultureInfo.InvariantCulture);

    public static Recommendations Recommend(ISequentialModel model, IReadOnlyList<long> history, int width, int top, ImmutableArray<string> tokens, Device device)
    {
        var (window, length) = HistoryWindow.Build(history, width, model.Padding);
        model.Module.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var items = torch.tensor(window, [1, width], ScalarType.Int64).to(device);
        var lengths = torch.tensor(new[] { length }, [1], ScalarType.Int64).to(device);
        return Top(model.FullSortScores(items, lengths)[0], top, tokens);
    }

    /// <summary>The best <paramref name="top"/> items of one full-sort score row [N]; padding (id 0) is never an answer.</summary>
    public static Recommendations Top(Tensor row, int top, ImmutableArray<string> tokens)
    {
        using var scope = torch.NewDisposeScope();
        var scores = row.to(ScalarType.Float64).cpu();
        var itemCount = (int)scores.shape[0];
        var k = Math.Min(top, itemCount - 1);
        scores[0] = double.NegativeInfinity;
        var (values, indices) = scores.topk(k);
        return Named(indices.data<long>().ToArray().Zip(values.data<double>().ToArray()), tokens);
    }

    /// <summary>Ranked (internal id, score) pairs as the answer: ids named by the run's tokens (or written as integers without them).</summary>
    public static Recommendations Named(IEnumerable<(long Id, double Score)> best, ImmutableArray<string> tokens)
    {
        var ranked = best.ToList();
        var names = ranked.Select(b => tokens.IsDefaultOrEmpty ? b.Id.ToString(CultureInfo.InvariantCulture) : tokens[(int)b.Id]).ToList();
        return new Recommendations(names, [.. ranked.Select(b => b.Score)]);
    }
}
