using System.Globalization;
using Grela.Cli.Shell;
using Grela.Runs;
using Spectre.Console;

namespace Grela.Cli.Runs;

/// <summary>The final table: the model's validation and test metrics beside popularity's test metrics.</summary>
internal static class MetricsTable
{
    public static void Show(CliOutput output, MetricsReport report)
    {
        output.Human.MarkupLine(Markup.Escape($"{report.Model} on {report.Dataset.Name}: best epoch {report.BestEpoch + 1} of {report.Epochs}"));
        var table = new Table();
        table.AddColumn("metric");
        table.AddColumn(new TableColumn("valid").RightAligned());
        table.AddColumn(new TableColumn("test").RightAligned());
        table.AddColumn(new TableColumn("popularity (test)").RightAligned());
        foreach (var name in MetricNames.All)
            table.AddRow(name, Cell(report.Valid, name), Cell(report.Test, name), Cell(report.PopularityTest, name));
        output.Human.Write(table);
        output.Human.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.TrainSeconds:F1} s training, {report.SecondsPerEpoch:F2} s per epoch")));
    }

    private static string Cell(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
