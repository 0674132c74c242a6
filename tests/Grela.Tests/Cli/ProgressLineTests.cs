using Grela.Cli.Shell;
using Grela.Training;

namespace Grela.Tests.Cli;

/// <summary>Off a terminal, training reports inside an epoch on a clock, so a long epoch still shows its rate.</summary>
public sealed class ProgressLineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-progress-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (string Out, string Log) Epoch(TimeSpan every, int startBatch)
    {
        var stdout = new StringWriter();
        var output = new CliOutput(new CliContext(stdout, new StringWriter(), CancellationToken.None), json: false);
        var logPath = Path.Combine(_root, $"train-{every.Ticks}-{startBatch}.log");
        using (var log = new RunLog(logPath))
        {
            var observer = new ConsoleTrainingObserver(output, log, every);
            observer.Run(() =>
            {
                observer.EpochStarted(1, 3, 4, startBatch);
                for (var batch = startBatch + 1; batch <= 4; batch++)
                    observer.StepCompleted(new StepReport(1, batch, 4, 10 + batch, 7.0, 7.25, 512));
                return 0;
            });
        }
        return (stdout.ToString(), File.ReadAllText(logPath));
    }

    [Fact]
    public void Each_batch_but_the_last_is_reported_when_the_interval_has_passed()
    {
        var (stdout, log) = Epoch(TimeSpan.Zero, startBatch: 0);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch 2/3: batch 2/4 (50%), step 12, loss 7.2500, 512 samples/s, ", lines[1]);
        Assert.Contains(" left in the epoch", lines[1]);
        // The epoch's last batch is followed by its summary line, so it gets none of its own.
        Assert.DoesNotContain("batch 4/4", stdout);
        Assert.Contains("epoch 2/3: batch 3/4 (75%), step 13", log);
    }

    [Fact]
    public void A_resumed_epoch_counts_from_its_first_batch_and_a_long_interval_stays_quiet()
    {
        var (resumed, _) = Epoch(TimeSpan.Zero, startBatch: 2);
        Assert.Equal(["epoch 2/3: batch 3/4 (75%), step 13"], resumed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(", loss", StringComparison.Ordinal)]));
        var (quiet, quietLog) = Epoch(TimeSpan.FromHours(1), startBatch: 0);
        Assert.Equal("", quiet);
        Assert.DoesNotContain("batch 1/4", quietLog);
        Assert.Contains("epoch 2/3: 4 batches", quietLog);
    }
}
