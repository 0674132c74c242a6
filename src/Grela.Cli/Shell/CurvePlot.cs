using Grela.Runs;
using Grela.Training;

namespace Grela.Cli.Shell;

/// <summary>curve.png: validation NDCG@10 (left axis) and training loss (right axis) by epoch.</summary>
internal static class CurvePlot
{
    public static void Write(string path, IReadOnlyList<EpochRecord> history)
    {
        if (history.Count == 0)
            return;
        var plot = new ScottPlot.Plot();
        double[] epochs = [.. history.Select(r => (double)r.Epoch)];
        var ndcg = plot.Add.Scatter(epochs, [.. history.Select(r => r.Valid.GetValueOrDefault(MetricNames.Selection, double.NaN))]);
        ndcg.LegendText = $"valid {MetricNames.Selection}";
        var loss = plot.Add.Scatter(epochs, [.. history.Select(r => r.Loss)]);
        loss.LegendText = "train loss";
        loss.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = $"valid {MetricNames.Selection}";
        plot.Axes.Right.Label.Text = "loss";
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.ShowLegend();
        // ScottPlot picks the encoder from the extension, so the temporary file keeps ".png".
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".curve-{Environment.ProcessId}.png");
        plot.SavePng(temp, 900, 500);
        File.Move(temp, path, overwrite: true);
    }
}
