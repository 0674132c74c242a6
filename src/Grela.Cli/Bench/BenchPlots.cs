using ScottPlot;

namespace Grela.Cli.Bench;

/// <summary>Log-log plots of the speed benchmark, one line per model.</summary>
public static class BenchPlots
{
    public static void SaveLogLog(string path, string title, string yLabel,
        IEnumerable<(string Series, IReadOnlyList<(double X, double Y)> Points)> series)
    {
        var plot = new Plot();
        foreach (var (name, points) in series)
        {
            if (points.Count == 0) continue;
            var scatter = plot.Add.Scatter(points.Select(p => Math.Log10(p.X)).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray());
            scatter.LegendText = name;
            scatter.MarkerSize = 6;
        }
        // Values are log10 of the data: label each tick with the value it stands for.
        static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
        {
            LabelFormatter = FormatPower,
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.Title(title);
        plot.XLabel("sequence length (log scale)");
        plot.YLabel(yLabel + " (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        var tmp = path + ".tmp.png";
        plot.SavePng(tmp, 900, 600);
        File.Move(tmp, path, overwrite: true);
    }

    static string FormatPower(double log10) =>
        Math.Pow(10, log10).ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
