using System.Text.Json;

namespace Grela.Tests.Cli;

/// <summary>`grela train --workers 2` starts a real `grela worker` process that computes half of every step.</summary>
public sealed class WorkersCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-workers-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Two_processes_train_a_run_that_matches_one_process_without_dropout()
    {
        string[] noDropout = ["--epochs", "2", "--dropout", "0", "--drop-path", "0"];
        var alone = CliHarness.Run(CliHarness.Train(Path.Combine(_root, "one"), [.. noDropout, "--workers", "1"]));
        var shared = CliHarness.Run(CliHarness.Train(Path.Combine(_root, "two"), [.. noDropout, "--workers", "2"]));
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.True(shared.ExitCode == 0, shared.ToString());
        Assert.Contains("2 processes share each step (1 worker process)", shared.Err + shared.Out);
        double Ndcg(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, folder, "metrics.json")))
            .RootElement.GetProperty("test").GetProperty("NDCG@10").GetDouble();
        // The same gradients summed in another order: equal to rounding.
        Assert.Equal(Ndcg("one"), Ndcg("two"), 3);
    }

    [Fact]
    public void A_negative_worker_count_is_refused_with_the_key_named()
    {
        var result = CliHarness.Run(CliHarness.Train(Path.Combine(_root, "negative"), "--workers", "-1"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("command line: --workers must be 0 (automatic) or positive, got -1", result.Err);
    }
}
