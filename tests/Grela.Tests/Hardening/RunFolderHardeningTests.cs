using System.Text.Json;
using Grela.Tests.Cli;
using Grela.Training;
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
        foreach (var change in new[] { "dim 16 -> 32", "lr 0.001 -> 0.5", "seed 1 -> 9" })
            Assert.Contains(change, result.Err);
    }
}
