using System.Text.Json;
using Grela.Cli.Commands;
using Grela.Data;
using Spectre.Console;

namespace Grela.Tests.Data;

public sealed class DataCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Stats_and_check_exit_0_on_good_input_and_2_on_bad_input()
    {
        var good = _files.Write("good.txt", "1 1 2 3 4\n2 2 3 4 5\n");
        var bad = _files.Write("bad.dat", "1::2::3::4\n1::2::x::4\n");
        Assert.Equal(0, Grela.Cli.Program.Run(["data", "stats", good, "--min-user", "0", "--min-item", "0", "--json"]));
        Assert.Equal(0, Grela.Cli.Program.Run(["data", "check", good, "--min-user", "0", "--min-item", "0"]));
        // The default 5-core filter empties this file: not valid (issue 10).
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "check", good]));
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "stats", bad]));
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "check", bad]));
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "stats", good, "--format", "parquet"]));
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "stats", good, "--min-rating", "3"]));
        Assert.Equal(2, Grela.Cli.Program.Run(["data", "stats", "synthetic:users=-1"]));
    }

    [Fact]
    public void Stats_json_reports_counts_after_filtering_and_the_split()
    {
        var path = _files.Write("r.txt", "a 1 2 3 4 5\nb 1 2 3 4 5\nc 1 2 3 4 5\nd 1 2 3 4 5\ne 1 2 3 4 5 9\nf 1 2\n");
        var summary = DataStatsCommand.Summarize(path, DataOptions.Default, maxLength: 3);
        using var json = JsonDocument.Parse(DataStatsCommand.ToJson(summary));
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("users").GetInt32());
        Assert.Equal(5, root.GetProperty("items").GetInt32());
        Assert.Equal(25, root.GetProperty("interactions").GetInt64());
        Assert.Equal(5 * 2, root.GetProperty("prefix_samples").GetInt64());
        Assert.Equal(5, root.GetProperty("truncated_users").GetInt32());
        Assert.Equal(6, root.GetProperty("preprocessing").GetProperty("raw_users").GetInt32());
        Assert.Equal(3, root.GetProperty("preprocessing").GetProperty("dropped_by_filter").GetInt64());

        var text = new StringWriter();
        DataStatsCommand.Render(summary, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), ColorSystem = ColorSystemSupport.NoColors }));
        Assert.Contains("interactions", text.ToString());
        Assert.Contains("25", text.ToString());
    }

    [Fact]
    public void Check_reports_short_users_repeats_and_what_filtering_removes()
    {
        var path = _files.Write("c.txt", "a 1 2 1\nb 1\n");
        var raw = DatasetLoader.ReadRaw(path);
        var findings = FileCheck.Run(raw, DataOptions.Default with { MinUserInteractions = 3, MinItemInteractions = 0 });
        Assert.Contains(findings, f => f.Check == "leave-one-out" && f.Severity == CheckSeverity.Warning && f.Detail.StartsWith("1 users have fewer than 3"));
        Assert.Contains(findings, f => f.Check == "repeats" && f.Detail.StartsWith("1 interactions repeat"));
        Assert.Contains(findings, f => f.Check == "minimum counts" && f.Detail.Contains("filtering removes 1 interactions"));
        using var json = JsonDocument.Parse(DataCheckCommand.ToJson(raw, findings));
        Assert.Equal("user-lines", json.RootElement.GetProperty("format").GetString());
    }
}
