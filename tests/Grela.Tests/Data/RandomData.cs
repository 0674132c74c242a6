using Grela.Data;
using Grela.Data.Formats;

namespace Grela.Tests.Data;

/// <summary>Turns FsCheck's arbitrary arrays into small datasets (few distinct items, so counts and repeats matter).</summary>
internal static class RandomData
{
    public static int[][] Sequences(int[][]? raw, int items) =>
        (raw ?? []).Where(s => s is { Length: > 0 }).Select(s => s.Select(x => 1 + (int)((uint)x % (uint)items)).ToArray()).ToArray();

    public static SequenceDataset Dataset(int[][]? raw, int items = 12)
    {
        var sequences = Sequences(raw, items);
        return sequences.Length == 0 ? SequenceDataset.FromSequences("empty", [[1, 2, 3]], items) : SequenceDataset.FromSequences("random", sequences, items);
    }

    /// <summary>The same sequences as raw rows (user-lines layout), to run the whole preprocessing.</summary>
    public static RawInteractions Raw(int[][] sequences, TempFiles files)
    {
        var text = string.Join("\n", sequences.Select((s, u) => $"u{u} " + string.Join(' ', s.Select(i => $"i{i}"))));
        return InteractionFileReader.Read(files.Write($"random-{Guid.NewGuid():N}.txt", text + "\n"), InteractionFormat.UserLines);
    }
}
