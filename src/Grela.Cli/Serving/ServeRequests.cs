using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Text.Json;
using Grela.Cli.Runs;
using Grela.Errors;

namespace Grela.Cli.Serving;

/// <summary>
/// Reading and checking request input: pure functions from text to values, each refusal a
/// <see cref="RequestProblem"/> that names what was expected and what came.
/// </summary>
internal static class ServeRequests
{
    /// <summary>The body as JSON, refused when over <see cref="ServeLimits.MaxBodyBytes"/> (413) or malformed (400).</summary>
    public static async Task<JsonDocument> ReadJson(HttpRequest request)
    {
        if (request.ContentLength > ServeLimits.MaxBodyBytes)
            throw TooLarge(request.ContentLength.Value);
        var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > ServeLimits.MaxBodyBytes)
                    throw TooLarge(buffer.Length + read);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null);
        }
        if (buffer.Length == 0)
            throw RequestProblem.BadRequest("Empty body", "expected a JSON object as the request body, got nothing");
        try
        {
            return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw RequestProblem.BadRequest("Malformed JSON", $"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The item ids of <c>body[key]</c>: a non-empty JSON array of strings or integers, all known to the run.</summary>
    public static (IReadOnlyList<string> Words, IReadOnlyList<long> Ids) Items(JsonElement body, string key, ItemVocabulary vocabulary)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw RequestProblem.BadRequest("Expected an object", $"expected a JSON object with \"{key}\", got {Kind(body)}");
        if (!body.TryGetProperty(key, out var array))
            throw RequestProblem.BadRequest($"Missing \"{key}\"", $"expected \"{key}\": an array of item ids, oldest first");
        if (array.ValueKind != JsonValueKind.Array)
            throw RequestProblem.BadRequest($"Bad \"{key}\"", $"\"{key}\": expected an array of item ids, got {Kind(array)}");
        var count = array.GetArrayLength();
        if (count == 0)
            throw RequestProblem.BadRequest($"Empty \"{key}\"", $"\"{key}\": expected at least one item id, got an empty array");
        if (count > ServeLimits.MaxItemsPerRequest)
            throw new RequestProblem(StatusCodes.Status413PayloadTooLarge, "Too many items", $"\"{key}\": at most {ServeLimits.MaxItemsPerRequest} items per request, got {count}");
        try
        {
            var words = array.EnumerateArray().Select(e => Recommender.WordOf(e, $"\"{key}\"")).ToList();
            var unknown = words.Where(w => vocabulary.Find(w) is null).Distinct().ToList();
            if (unknown.Count > 0)
                throw RequestProblem.BadRequest("Unknown items", $"\"{key}\": {unknown.Count} item id(s) not in the run's dataset ({vocabulary.ItemCount - 1} items{(vocabulary.IntegerIds ? ", integer ids 1.." + (vocabulary.ItemCount - 1) : "")}): {Show(unknown)}");
            return (words, vocabulary.ToIds(words, $"\"{key}\""));
        }
        catch (UserInputException e)
        {
            throw RequestProblem.BadRequest($"Bad \"{key}\"", e.Message);
        }
    }

    /// <summary>K from the query (<c>?k=</c>) or the body; the server's default when absent.</summary>
    public static int K(string? text, int fallback, int itemCount)
    {
        if (text is null) return Math.Min(fallback, itemCount - 1);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            throw RequestProblem.BadRequest("Bad k", $"k: expected a positive integer, got \"{Short(text)}\"");
        return CheckK(k, itemCount);
    }

    /// <summary>K from <c>body["k"]</c> when present.</summary>
    public static int K(JsonElement body, int fallback, int itemCount)
    {
        if (!body.TryGetProperty("k", out var value)) return Math.Min(fallback, itemCount - 1);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var k))
            throw RequestProblem.BadRequest("Bad k", $"\"k\": expected a positive integer, got {Kind(value)} {Short(value.GetRawText())}");
        return CheckK(k, itemCount);
    }

    private static int CheckK(int k, int itemCount)
    {
        var max = Math.Min(ServeLimits.MaxK, itemCount - 1);
        if (k < 1 || k > max)
            throw RequestProblem.BadRequest("Bad k", $"k: expected 1..{max} (at most {ServeLimits.MaxK} and at most the run's {itemCount - 1} items), got {k}");
        return k;
    }

    /// <summary>A user id from the path: 1..256 characters, no control characters.</summary>
    public static string User(string user)
    {
        if (user.Length is 0 or > ServeLimits.MaxUserLength || user.Any(char.IsControl))
            throw RequestProblem.BadRequest("Bad user id", $"user: expected 1..{ServeLimits.MaxUserLength} characters without control characters, got {user.Length} characters");
        return user;
    }

    private static RequestProblem TooLarge(long? size) => new(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"the request body may be at most {ServeLimits.MaxBodyBytes} bytes{(size is { } s ? $", got {s}" : "")}");

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    private static string Show(IReadOnlyList<string> words) =>
        string.Join(", ", words.Take(5).Select(w => $"\"{Short(w)}\"")) + (words.Count > 5 ? $" and {words.Count - 5} more" : "");

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
