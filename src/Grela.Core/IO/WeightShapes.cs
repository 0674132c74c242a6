using Grela.Errors;

namespace Grela.IO;

/// <summary>
/// What the names and shapes of a weight file say, read without building a model: how they differ
/// from a module's state dict, and the item table every recommender starts with. The one reading
/// that every loader and importer shares (RecGRELA's safetensors loader, the PyTorch-format loader,
/// the import's inspection of each model).
/// </summary>
public static class WeightShapes
{
    /// <summary>
    /// Every difference between the <paramref name="model"/>'s entries and the <paramref name="file"/>'s,
    /// grouped by kind: missing names (with the shape expected), misshaped ones, what
    /// <paramref name="alsoCheck"/> says of a name whose shape fits (a wrong type; null: nothing),
    /// then the file's names the model does not have, sorted. Empty when the file fits.
    /// </summary>
    public static IReadOnlyList<string> Misfits(
        IReadOnlyList<KeyValuePair<string, long[]>> model, IReadOnlyDictionary<string, long[]> file, Func<string, string?>? alsoCheck = null)
    {
        var names = model.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return
        [
            .. model.Where(p => !file.ContainsKey(p.Key)).Select(p => $"missing \"{p.Key}\" (expected shape [{Dims(p.Value)}])"),
            .. model.Where(p => file.TryGetValue(p.Key, out var shape) && !shape.SequenceEqual(p.Value))
                .Select(p => $"\"{p.Key}\" has shape [{Dims(file[p.Key])}], expected [{Dims(p.Value)}]"),
            .. model.Where(p => file.TryGetValue(p.Key, out var shape) && shape.SequenceEqual(p.Value))
                .Select(p => alsoCheck?.Invoke(p.Key)).OfType<string>(),
            .. file.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal).Select(k => $"unexpected \"{k}\""),
        ];
    }

    /// <summary>"source: the weights do not fit this <paramref name="model"/> (N problems):" and one problem a line.</summary>
    public static UserInputException MisfitError(string source, string model, IReadOnlyList<string> problems) =>
        new($"{source}: the weights do not fit this {model} ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  " + string.Join("\n  ", problems));

    /// <summary>
    /// The item count (padding row included) and width of the 2-D item table <paramref name="key"/>;
    /// without one the file holds no <paramref name="model"/>, an error naming <paramref name="source"/>.
    /// </summary>
    public static (int Items, int Dim) ItemTable(IReadOnlyDictionary<string, long[]> shapes, string key, string source, string model) =>
        shapes.TryGetValue(key, out var table) && table.Length == 2
            ? (checked((int)table[0]), checked((int)table[1]))
            : throw new UserInputException($"{source}: no 2-D \"{key}\" tensor, so this is not a {model} state dict");

    /// <summary>A shape as "8, 16" (inside the brackets of a message).</summary>
    public static string Dims(IEnumerable<long> shape) => string.Join(", ", shape);
}
