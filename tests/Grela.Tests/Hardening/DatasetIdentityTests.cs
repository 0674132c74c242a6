using Grela.Data;
using Grela.Runs;
using Grela.Tests.Cli;
using Grela.Tests.Training;

namespace Grela.Tests.Hardening;

/// <summary>Issue 10: a dataset is identified by its content, not by its counts.</summary>
[Collection(TorchSerial.Name)]
public sealed class DatasetIdentityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-identity-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SequenceDataset Data(string[] tokens, params int[][] sequences) =>
        SequenceDataset.FromSequences("d", sequences, tokens.Length, itemTokens: tokens);

    [Fact]
    public void Equal_counts_with_a_permuted_vocabulary_or_other_sequences_hash_differently()
    {
        var original = Data(["a", "b", "c"], [1, 2, 3], [3, 2, 1]);
        var permuted = Data(["b", "a", "c"], [1, 2, 3], [3, 2, 1]);
        var reordered = Data(["a", "b", "c"], [2, 1, 3], [3, 2, 1]);
        Assert.Equal(original.ContentHash(), Data(["a", "b", "c"], [1, 2, 3], [3, 2, 1]).ContentHash());
        Assert.NotEqual(original.ContentHash(), permuted.ContentHash());
        Assert.NotEqual(original.ContentHash(), reordered.ContentHash());
        // Sequence boundaries count too: the same flat items split differently.
        Assert.NotEqual(Data(["a", "b", "c"], [1, 2], [3, 3, 2, 1]).ContentHash(), Data(["a", "b", "c"], [1, 2, 3], [3, 2, 1]).ContentHash());
    }

    [Fact]
    public void Differences_name_the_moved_ids_and_the_content()
    {
        var saved = new DatasetInfo("d", 2, 3, 6) { ContentHash = new string('a', 64) };
        var now = saved with { ContentHash = new string('b', 64) };
        var vocabulary = saved.Differences(["[PAD]", "a", "b", "c"], now, ["[PAD]", "b", "a", "c"]);
        Assert.Contains(vocabulary, d => d.Contains("2 of 3 ids now name other items") && d.Contains("id 1 was \"a\", now \"b\""));
        Assert.Contains(saved.Differences(["[PAD]", "a", "b", "c"], now, ["[PAD]", "a", "b", "c"]), d => d.StartsWith("content"));
        Assert.Empty(saved.Differences(["[PAD]", "a", "b", "c"], saved, ["[PAD]", "a", "b", "c"]));
        // A checkpoint written before content hashes existed compares counts and vocabulary only.
        Assert.Empty((saved with { ContentHash = "" }).Differences(["[PAD]", "a"], now, ["[PAD]", "a"]));
    }

    [Fact]
    public void Resume_refuses_a_dataset_with_equal_counts_but_swapped_item_names()
    {
        var data = Path.Combine(_root, "lines.txt");
        var random = new Random(4);
        var lines = Enumerable.Range(1, 30).Select(u => $"u{u} " + string.Join(' ', Enumerable.Range(0, 8).Select(_ => $"i{random.Next(12)}"))).ToArray();
        File.WriteAllLines(data, lines);
        var folder = Path.Combine(_root, "run");
        var first = CliHarness.Run("train", "--data", data, "--max-len", "8", "--dim", "8", "--layers", "1", "--heads", "2", "--batch-size", "16",
            "--epochs", "1", "--out", folder);
        Assert.True(first.ExitCode == 0, first.ToString());
        // Swap two item names everywhere: the same users, items and interactions.
        File.WriteAllLines(data, lines.Select(l => string.Join(' ', l.Split(' ').Select(t => t == "i0" ? "i1" : t == "i1" ? "i0" : t))));
        var resumed = CliHarness.Run("train", "--resume", folder, "--epochs", "2");
        Assert.True(resumed.ExitCode == 2, resumed.ToString());
        Assert.Contains("the data changed", resumed.Err);
        Assert.DoesNotContain("   at ", resumed.Err);
        var evaluated = CliHarness.Run("evaluate", "--run", folder, "--data", data);
        Assert.True(evaluated.ExitCode == 2, evaluated.ToString());
        Assert.Contains("now name other items", evaluated.Err);
    }
}
