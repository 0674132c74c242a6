using System.Text.Json;
using Grela.Cli.Runs;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Tests.Cli;

/// <summary>`train --keep-epochs` and `grela average`: per-epoch checkpoints and their mean as a run folder.</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class AverageCliTests(TrainedRunFixture run)
{
    [Fact]
    public void Keep_epochs_keeps_each_epoch_and_average_writes_their_mean_as_a_run_evaluate_accepts()
    {
        var source = new RunFolder(Path.Combine(run.Root, "kept"));
        var trained = CliHarness.Run(CliHarness.Train(source.Root, "--epochs", "3", "--keep-epochs", "--ema-decay", "0.9"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Equal(["epoch-000.ckpt", "epoch-001.ckpt", "epoch-002.ckpt"],
            Directory.GetFiles(source.Epochs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var config = JsonDocument.Parse(File.ReadAllText(source.Config)))
            Assert.True(config.RootElement.GetProperty("keep-epochs").GetBoolean());

        string Averaged(string name, string epochs, string weights)
        {
            var folder = Path.Combine(run.Root, name);
            var result = CliHarness.Run("average", "--run", source.Root, "--epochs", epochs, "--weights", weights, "--out", folder, "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            using var written = JsonDocument.Parse(result.Out);
            Assert.Equal(weights, written.RootElement.GetProperty("weights").GetString());
            return folder;
        }
        string Scores(params string[] args)
        {
            var result = CliHarness.Run(["evaluate", .. args, "--json"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var document = JsonDocument.Parse(result.Out);
            return document.RootElement.GetProperty("valid").ToString() + document.RootElement.GetProperty("test").ToString();
        }

        // One epoch averaged is that epoch: the last one is the run's `last` checkpoint, either weight set.
        Assert.Equal(Scores("--run", source.Root, "--checkpoint", "last"), Scores("--run", Averaged("avg-2", "2", "average")));
        Assert.Equal(Scores("--run", source.Root, "--checkpoint", "last", "--weights", "training"), Scores("--run", Averaged("train-2", "2-2", "training")));

        // Three epochs: every parameter is the mean of the three epochs' own.
        var singles = new[] { Averaged("train-0", "0", "training"), Averaged("train-1" + Path.DirectorySeparatorChar, "1", "training"), Path.Combine(run.Root, "train-2") };
        var mean = Averaged("train-0-2", "0-2", "training");
        var loaded = singles.Select(f => LoadedRun.Open(f, "cpu")).ToArray();
        using var averaged = LoadedRun.Open(mean, "cpu");
        try
        {
            var parts = loaded.Select(l => l.Model.Module.parameters().ToArray()).ToArray();
            var whole = averaged.Model.Module.parameters().ToArray();
            Assert.Equal(parts[0].Length, whole.Length);
            for (var i = 0; i < whole.Length; i++)
            {
                using var expected = (parts[0][i] + parts[1][i] + parts[2][i]) / 3;
                Assert.True(whole[i].allclose(expected, rtol: 1e-5, atol: 1e-7), $"parameter {i} is not the mean of the epochs'");
            }
            Assert.NotEqual(Scores("--run", mean), Scores("--run", singles[2]));
        }
        finally
        {
            foreach (var l in loaded)
                l.Dispose();
        }
    }

    [Fact]
    public void Average_refuses_missing_epochs_bad_ranges_and_occupied_folders_and_leaves_nothing_behind()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
        var target = Path.Combine(run.Root, "never-written");
        var missing = CliHarness.Run("average", "--run", run.Folder.Root, "--epochs", "0-1", "--out", target);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no checkpoint for epoch 0, 1", missing.Err);
        Assert.Contains("--keep-epochs", missing.Err);
        Assert.False(Directory.Exists(target));

        foreach (var range in new[] { "2-1", "a-b", "-1", "1-2-3", "" })
        {
            var refused = CliHarness.Run("average", "--run", run.Folder.Root, "--epochs", range, "--out", target);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("expected a range FIRST-LAST", refused.Err);
        }
        var occupied = CliHarness.Run("average", "--run", run.Folder.Root, "--epochs", "0", "--out", run.Folder.Root);
        Assert.Equal(2, occupied.ExitCode);
        Assert.Contains("expected a new or empty folder", occupied.Err);
        var noRun = CliHarness.Run("average", "--run", Path.Combine(run.Root, "no-such-run"), "--epochs", "0", "--out", target);
        Assert.Equal(2, noRun.ExitCode);
        Assert.Contains("no such run folder", noRun.Err);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetDirectories(run.Root, ".*.tmp"));
    }
}
