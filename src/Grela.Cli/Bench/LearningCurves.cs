using System.Globalization;
using Grela.Errors;
using Grela.IO;
using ScottPlot;

namespace Grela.Cli.Bench;

/// <summary>One run's learning curve: a label and (optimizer steps, metric) points.</summary>
public sealed record LearningCurve(string Label, IReadOnlyList<(double Steps, double Value)> Points);

/// <summary>
/// `grela bench curves`: validation curves of several runs against optimizer steps, read from their
/// history.csv files (columns `steps` and the metric), so that runs with different batch sizes (and a
/// reference log) compare at equal numbers of updates.
/// </summary>
public static class LearningCurves
{
    /// <summary>Largest history file read (a history has one short line per epoch).</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>Parses a history.csv text; errors name the file and line.</summary>
    public static LearningCurve Parse(string path, string text, string metric, string label)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0)
            throw new UserInputException($"{path}: empty file; expected a history.csv with a header line");
        var header = lines[0].Split(',');
        int stepsColumn = Array.IndexOf(header, "steps"), valueColumn = Array.IndexOf(header, metric);
        if (stepsColumn < 0 || valueColumn < 0)
            throw new UserInputException($"{path}:1: expected columns 'steps' and '{metric}' in the header, got '{lines[0]}'");
        var points = new List<(double, double)>();
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new UserInputException($"{path}:{i + 1}: expected {header.Length} comma-separated values, got {cells.Length}");
            if (!double.TryParse(cells[stepsColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var steps) || !(steps > 0))
                throw new UserInputException($"{path}:{i + 1}: 'steps' must be a positive number, got '{cells[stepsColumn]}'");
            // An empty metric cell is an epoch without that value (a non-finite validation): skipped.
            if (cells[valueColumn].Length == 0)
                continue;
            if (!double.TryParse(cells[valueColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new UserInputException($"{path}:{i + 1}: '{metric}' must be a number, got '{cells[valueColumn]}'");
            points.Add((steps, value));
        }
        return new LearningCurve(label, points);
    }

    /// <summary>Reads one history file through <see cref="InputFile"/> (a regular file, bounded, strict UTF-8).</summary>
    public static LearningCurve Read(string path, string metric, string? label) =>
        Parse(path, InputFile.ReadText(path, "a history.csv", MaxFileBytes), metric, label ?? DefaultLabel(path));

    /// <summary>A run's folder name (history.csv inside a run folder), else the file name.</summary>
    public static string DefaultLabel(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return name == "history" && !string.IsNullOrEmpty(folder) ? folder : name;
    }

    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];

    /// <summary>
    /// The colour, line pattern and marker of the curve at <paramref name="index"/>: the palette's
    /// colours in order, and each time they run out, the next pattern with its own marker, so that
    /// the 11th curve of a ten-colour palette does not look like the first; once colours x patterns
    /// run out, the markers move one place against the patterns (160 distinct styles for ten colours),
    /// and only past that do styles repeat.
    /// </summary>
    public static (int Colour, int Pattern, int Marker) CurveStyle(int index, int colours)
    {
        var pattern = index / colours % Patterns.Length;
        var round = index / (colours * Patterns.Length);
        return (index % colours, pattern, (pattern + round) % Markers.Length);
    }

    /// <summary>The most curves whose legend is drawn inside the data area.</summary>
    public const int InsideLegendCurves = 12;

    /// <summary>Writes the curves as a PNG, steps on a log axis (runs differ in steps by orders of magnitude).</summary>
    public static void Plot(string path, string metric, IReadOnlyList<LearningCurve> curves)
    {
        var plot = new Plot();
        var colours = plot.Add.Palette.Colors.Length;
        foreach (var (curve, index) in curves.Where(c => c.Points.Count > 0).Select((c, i) => (c, i)))
        {
            var line = plot.Add.Scatter(curve.Points.Select(p => Math.Log10(p.Steps)).ToArray(), curve.Points.Select(p => p.Value).ToArray());
            line.LegendText = curve.Label;
            line.MarkerSize = 4;
            var (colour, pattern, marker) = CurveStyle(index, colours);
            line.Color = plot.Add.Palette.GetColor(colour);
            line.LinePattern = Patterns[pattern];
            line.MarkerShape = Markers[marker];
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = x => Math.Pow(10, x) is var v && v < 1000 ? v.ToString("G3", CultureInfo.InvariantCulture) : v.ToString("#,0", CultureInfo.InvariantCulture),
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.XLabel("optimizer steps (log scale)");
        plot.YLabel(metric);
        // A few curves: the legend fits inside, lower right. Many: a panel inside would hide the curves
        // (the official log ends top right), so it goes beside the data and the figure grows to hold it.
        var drawn = curves.Count(c => c.Points.Count > 0);
        var outside = drawn > InsideLegendCurves;
        if (outside)
            plot.ShowLegend(Edge.Right);
        else
            plot.ShowLegend(Alignment.LowerRight);
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".curves-{Environment.ProcessId}.png");
        plot.SavePng(temp, outside ? 1300 : 1000, outside ? Math.Max(600, 100 + 21 * drawn) : 600);
        File.Move(temp, path, overwrite: true);
    }
}
