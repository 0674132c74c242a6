using System.Globalization;
using Grela.Runs;
using Grela.Training;
using Spectre.Console;

namespace Grela.Cli.Shell;

/// <summary>
/// Shows training to a person: on a terminal a live progress bar per epoch (mean loss, samples/s,
/// ETA); elsewhere one line per epoch. Validation metrics follow each epoch. Everything also goes to
/// train.log.
/// </summary>
internal sealed class ConsoleTrainingObserver(CliOutput output, RunLog log) : ITrainingObserver
{
    private ProgressContext? _progress;
    private ProgressTask? _task;
    private int _totalEpochs;

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
        if (_progress is null)
            return;
        _task = _progress.AddTask(Markup.Escape($"epoch {epoch + 1}/{totalEpochs}"), maxValue: batches);
        _task.Value = startBatch;
        _progress.Refresh();
    }

    public void StepCompleted(StepReport step)
    {
        if (_task is null)
            return;
        _task.Value = step.Batch;
        _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"epoch {step.Epoch + 1}/{_totalEpochs} loss {step.EpochMeanLoss:F4} {step.SamplesPerSecond:F0} samples/s"));
        _progress?.Refresh();
    }

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
