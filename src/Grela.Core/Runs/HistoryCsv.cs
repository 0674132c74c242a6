using System.Globalization;
using System.Text;
using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// history.csv: one row per epoch with columns epoch, loss, valid_HR@5 ... valid_MRR@20, seconds,
/// samples_per_s, steps (optimizer steps so far), lr (of the epoch's last step). Rewritten whole (atomically) after each epoch from the checkpointed history, so a
/// resumed run's file matches an uninterrupted run's.
/// </summary>
public static class HistoryCsv
{
    public static string Format(IReadOnlyList<EpochRecord> history)
    {
        var metricNames = history.Count == 0 ? MetricNames.All : MetricNames.Ordered(history[0].Valid).Select(p => p.Key).ToList();
        var text = new StringBuilder();
        text.Append("epoch,loss,").Append(string.Join(',', metricNames.Select(n => $"valid_{n}"))).Append(",seconds,samples_per_s,steps,lr\n");
        foreach (var r in history)
        {
            text.Append(r.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(r.Loss));
            foreach (var name in metricNames)
                text.Append(',').Append(r.Valid.TryGetValue(name, out var v) ? Number(v) : "");
            text.Append(',').Append(r.Seconds.ToString("F3", CultureInfo.InvariantCulture))
                .Append(',').Append(r.SamplesPerSecond.ToString("F1", CultureInfo.InvariantCulture))
                .Append(',').Append(r.Steps.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(Number(r.Lr)).Append('\n');
        }
        return text.ToString();
    }

    public static void Write(string path, IReadOnlyList<EpochRecord> history) => AtomicFile.WriteAllText(path, Format(history));

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
