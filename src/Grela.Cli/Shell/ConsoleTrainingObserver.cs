using System.Globalization;
using Grela.Runs;
using Grela.Training;
using Spectre.Console;

namespace Grela.Cli.Shell;

/// <summary>
/// Shows training to a person: on a terminal a live progress bar per epoch (mean loss, samples/s,
/// ETA); elsewhere (a pipe, a file, a background job) a progress line every
/// <paramref name="progressEvery"/> of an epoch's wall time, so that an epoch of hours still shows
/// its rate. Validation metrics follow each epoch. Everything but the live bar also goes to train.log.
/// </summary>
internal sealed class ConsoleTrainingObserver(CliOutput output, RunLog log, TimeSpan progressEvery) : ITrainingObserver
{
    /// <summary>How often a run off a terminal reports inside an epoch.</summary>
    public static readonly TimeSpan DefaultProgressEvery = TimeSpan.FromMinutes(1);

    private ProgressContext? _progress;
    private ProgressTask? _task;
    private int _totalEpochs;
    private int _startBatch;
    private readonly System.Diagnostics.Stopwatch _epochClock = new();
    private TimeSpan _lastLine;

    public ConsoleTrainingObserver(CliOutput output, RunLog log) : this(output, log, DefaultProgressEvery) { }

    /// <summary>Runs <paramref name="body"/> inside a live progress display when the console supports one.</summary>
    public T Run<T>(Func<T> body)
    {
        if (!output.Human.Profile.Capabilities.Interactive)
            return body();
        // Redrawn from the training thread after each step, not by Spectre's refresh thread: a second
        // thread that allocates can trigger collections while libtorch runs, which is when TorchSharp's
        // temporary Scalars get freed too early (docs/toolchain.md).
        return output.Human.Progress()
            .AutoRefresh(false)
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _progress = context;
                try
                {
                    return body();
                }
                finally
                {
                    _progress = null;
                }
            });
    }

    public void EpochStarted(int epoch, int totalEpochs, int batches, int startBatch)
    {
        _totalEpochs = totalEpochs;
        log.Write($"epoch {epoch + 1}/{totalEpochs}: {batches} batches" + (startBatch > 0 ? $", resuming at batch {startBatch}" : ""));
        _startBatch = startBatch;
        _lastLine = TimeSpan.Zero;
        _epochClock.Restart();
        if (_progress is null)
            return;
        _task = _progress.AddTask(Markup.Escape($"epoch {epoch + 1}/{totalEpochs}"), maxValue: batches);
        _task.Value = startBatch;
        _progress.Refresh();
    }

    public void StepCompleted(StepReport step)
    {
        if (_task is null)
        {
            if (_progress is null) ReportOffTerminal(step);
            return;
        }
        _task.Value = step.Batch;
        _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"epoch {step.Epoch + 1}/{_totalEpochs} loss {step.EpochMeanLoss:F4} {step.SamplesPerSecond:F0} samples/s"));
        _progress?.Refresh();
    }

    /// <summary>One line when the progress interval has passed since the last (never after the epoch's last batch: its summary follows).</summary>
    private void ReportOffTerminal(StepReport step)
    {
        var elapsed = _epochClock.Elapsed;
        if (step.Batch >= step.Batches || elapsed - _lastLine < progressEvery)
            return;
        _lastLine = elapsed;
        var done = step.Batch - _startBatch;
        var left = done > 0 ? TimeSpan.FromTicks(elapsed.Ticks / done * (step.Batches - step.Batch)) : TimeSpan.Zero;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {step.Epoch + 1}/{_totalEpochs}: batch {step.Batch}/{step.Batches} ({100.0 * step.Batch / step.Batches:F0}%), step {step.Step}, loss {step.EpochMeanLoss:F4}, {step.SamplesPerSecond:F0} samples/s, {elapsed.TotalSeconds / Math.Max(1, done):F2} s a batch, about {Left(left)} left in the epoch");
        log.Write(line);
        output.Human.WriteLine(line);
    }

    private static string Left(TimeSpan left) =>
        left.TotalMinutes >= 90 ? string.Create(CultureInfo.InvariantCulture, $"{left.TotalHours:F1} h")
        : left.TotalSeconds >= 90 ? string.Create(CultureInfo.InvariantCulture, $"{left.TotalMinutes:F0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{left.TotalSeconds:F0} s");

    public void EpochCompleted(EpochRecord record, bool improved)
    {
        _task?.StopTask();
        _task = null;
        var metrics = string.Join("  ", MetricNames.Ordered(record.Valid)
            .Where(p => p.Key.EndsWith("@10", StringComparison.Ordinal))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F4}")));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch + 1}: loss {record.Loss:F4}  valid {metrics}  {record.Seconds:F1}s (valid {record.ValidationSeconds:F1}s)  {record.SamplesPerSecond:F0} samples/s{(improved ? "  (best)" : "")}");
        log.Write(line);
        output.Human.MarkupLine(improved ? $"[green]{Markup.Escape(line)}[/]" : Markup.Escape(line));
    }

    public void Message(string text)
    {
        log.Write(text);
        output.Note(text);
    }
}
