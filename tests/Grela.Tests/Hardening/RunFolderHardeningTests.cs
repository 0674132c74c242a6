using System.Collections.Immutable;
using System.Text.Json;
using Grela.Runs;
using Grela.Tests.Cli;
using TorchSharp;

namespace Grela.Tests.Hardening;

/// <summary>Issue 10: run folders that were tampered with never crash a command or corrupt a run.</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class RunFolderHardeningTests(TrainedRunFixture run)
{
    [Fact]
    public void Recommend_json_survives_non_finite_scores()
    {
        var folder = ForgedRun.Copy(run.Folder, run.Root);
        ForgedRun.EditWeights(folder.Best, module =>
        {
            using (torch.no_grad())
                foreach (var p in module.parameters())
                    p.fill_(double.NaN);
        });
        var tokens = CheckpointFile.Read(folder.Best).Header.ItemTokens;
        var result = CliHarness.Run("recommend", "--run", folder.Root, "--history", string.Join(' ', tokens.Skip(1).Take(4)), "--top", "3", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        Assert.All(answer.RootElement.GetProperty("scores").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.ValueKind));
        Assert.Contains("NaN or infinite", result.Err);
    }

    [Fact]
    public void A_last_checkpoint_from_another_run_is_refused_before_anything_is_overwritten()
    {
        var other = Path.Combine(run.Root, $"other-{Guid.NewGuid():N}");
        var trained = CliHarness.Run("train", "--data", CliHarness.TinyTraining[1], "--max-len", "20", "--dim", "8", "--layers", "1", "--heads", "2",
            "--batch-size", "32", "--seed", "1", "--epochs", "1", "--out", other);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var folder = ForgedRun.Copy(run.Folder, run.Root);
        File.Copy(Path.Combine(other, "last.ckpt"), folder.Last, overwrite: true);
        var best = File.ReadAllBytes(folder.Best);
        var metrics = File.ReadAllBytes(folder.Metrics);

        var result = CliHarness.Run("train", "--resume", folder.Root, "--epochs", "5");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("inconsistent", result.Err);
        Assert.Contains("dim 16 -> 8", result.Err);
        Assert.Contains("different models", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.Equal(best, File.ReadAllBytes(folder.Best));
        Assert.Equal(metrics, File.ReadAllBytes(folder.Metrics));
    }

    [Fact]
    public void Resume_reports_every_changed_option()
    {
        var folder = ForgedRun.Copy(run.Folder, run.Root);
        var result = CliHarness.Run("train", "--resume", folder.Root, "--dim", "32", "--lr", "0.5", "--seed", "9");
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var change in new[] { "dim 16 -> 32", "lr 0.003 -> 0.5", "seed 1 -> 9" })
            Assert.Contains(change, result.Err);
    }

    [Fact]
    public void Ids_with_spaces_can_be_given_as_json_or_from_a_file()
    {
        var plain = CheckpointFile.Read(run.Folder.Best).Header.ItemTokens;
        var folder = ForgedRun.Copy(run.Folder, run.Root);
        var checkpoint = CheckpointFile.Read(folder.Best);
        var spaced = plain.Select((t, i) => i == 0 ? t : $"item {t}").ToImmutableArray();
        (checkpoint with { Header = checkpoint.Header with { ItemTokens = spaced } }).Write(folder.Best);
        var expected = CliHarness.Run("recommend", "--run", run.Folder.Root, "--history", string.Join(' ', plain.Skip(1).Take(4)), "--top", "5", "--json");
        Assert.True(expected.ExitCode == 0, expected.ToString());

        var json = System.Text.Json.JsonSerializer.Serialize(spaced.Skip(1).Take(4));
        var fromJson = CliHarness.Run("recommend", "--run", folder.Root, "--history", json, "--top", "5", "--json");
        var file = Path.Combine(run.Root, $"history-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(file, spaced.Skip(1).Take(4));
        var fromFile = CliHarness.Run("recommend", "--run", folder.Root, "--history-file", file, "--top", "5", "--json");

        foreach (var result in new[] { fromJson, fromFile })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            using var a = JsonDocument.Parse(expected.Out);
            using var b = JsonDocument.Parse(result.Out);
            Assert.Equal(a.RootElement.GetProperty("scores").ToString(), b.RootElement.GetProperty("scores").ToString());
            Assert.Equal(a.RootElement.GetProperty("items").EnumerateArray().Select(i => $"item {i.GetString()}"),
                b.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetString()!));
        }
        Assert.Equal(2, CliHarness.Run("recommend", "--run", folder.Root, "--history", "[\"item 1\", {}]").ExitCode);
        Assert.Equal(2, CliHarness.Run("recommend", "--run", folder.Root, "--history", "1", "--history-file", file).ExitCode);
    }
}
