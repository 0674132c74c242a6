using Grela.Data.Formats;
using Grela.Data.Synthetic;
using Grela.Errors;

namespace Grela.Data;

/// <summary>
/// The one entry point from a <c>data</c> value (config key) to a dataset: a file, a folder holding one
/// interaction file, or a synthetic dataset name (<c>synthetic[:key=value,...]</c>).
/// </summary>
public static class DatasetLoader
{
    /// <summary>The default dataset of the CLI and the tests.</summary>
    public const string DefaultSource = SyntheticSpec.Name;

    /// <summary>Loads and preprocesses <paramref name="source"/>.</summary>
    /// <exception cref="UserInputException">Unknown path, ambiguous folder, malformed file, or nothing left after filtering.</exception>
    public static SequenceDataset Load(string source, DataOptions? options = null)
    {
        options ??= DataOptions.Default;
        if (SyntheticSpec.IsSynthetic(source))
        {
            var generated = SyntheticGenerator.Generate(SyntheticSpec.Parse(source));
            return Preprocessing.Apply(ToRaw(generated), options with { Format = null }, generated.Name);
        }
        return Preprocessing.Apply(ReadRaw(source, options.Format), options);
    }

    /// <summary>Reads the rows of a file or folder without preprocessing.</summary>
    public static RawInteractions ReadRaw(string source, InteractionFormat? format = null) =>
        InteractionFileReader.Read(ResolveFile(source), format);

    /// <summary>A folder resolves to its single interaction file (<c>*.inter</c>, <c>*.txt</c>, <c>ratings.dat</c>, <c>ratings.csv</c>).</summary>
    public static string ResolveFile(string source)
    {
        if (!Directory.Exists(source))
            return source;
        var candidates = Directory.GetFiles(source)
            .Where(f => Path.GetExtension(f) is ".inter" or ".txt" || Path.GetFileName(f) is "ratings.dat" or "ratings.csv")
            .Order(StringComparer.Ordinal)
            .ToArray();
        return candidates.Length == 1 ? candidates[0]
            : throw new UserInputException(candidates.Length == 0
                ? $"{source}: the folder has no interaction file; expected one *.inter, *.txt, ratings.dat or ratings.csv"
                : $"{source}: the folder has several interaction files ({string.Join(", ", candidates.Select(Path.GetFileName))}); expected one: name the file");
    }

    private static RawInteractions ToRaw(SequenceDataset dataset)
    {
        var builder = new RawInteractionsBuilder(dataset.Name, InteractionFormat.UserLines, hasRating: false, hasTimestamp: false);
        for (var u = 0; u < dataset.UserCount; u++)
        {
            var user = builder.InternUser(dataset.Users.Token(u));
            foreach (var item in dataset.Sequence(u))
                builder.Add(user, dataset.Items.Token(item), u + 1);
        }
        return builder.Build();
    }
}
