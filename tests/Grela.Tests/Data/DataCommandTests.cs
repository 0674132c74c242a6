using System.Text.Json;
using Grela.Cli.Commands;
using Grela.Data;
using Grela.Tests.Cli;
using Spectre.Console;

namespace Grela.Tests.Data;

public sealed class DataCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static void AssertBadInput(CliResult result, string error)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: {error}", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Stats_and_check_exit_0_on_good_input_and_2_on_bad_input_naming_the_file_and_line()
    {
        var good = _files.Write("good.txt", "1 1 2 3 4\n2 2 3 4 5\n");
        var bad = _files.Write("bad.dat", "1::2::3::4\n1::2::x::4\n");
        var stats = CliHarness.Run("data", "stats", good, "--min-user", "0", "--min-item", "0", "--json");
        Assert.True(stats.ExitCode == 0, stats.ToString());
        var check = CliHarness.Run("data", "check", good, "--min-user", "0", "--min-item", "0");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.StartsWith($"{good}: valid (user-lines)", check.Out);
        Assert.Equal("", check.Err);
        // The default 5-core filter empties this file: not valid (issue 10).
        AssertBadInput(CliHarness.Run("data", "check", good), $"{good}: filtering to [5,inf) interactions per user and [5,inf) per item removes every interaction");
        AssertBadInput(CliHarness.Run("data", "stats", bad), $"{bad}:2: ");
        AssertBadInput(CliHarness.Run("data", "check", bad), $"{bad}:2: ");
        AssertBadInput(CliHarness.Run("data", "stats", good, "--format", "parquet"), "--format: expected one of auto|");
        AssertBadInput(CliHarness.Run("data", "stats", good, "--min-rating", "3"), $"{good}: a rating threshold was given, but the user-lines file has no ratings");
        AssertBadInput(CliHarness.Run("data", "stats", "synthetic:users=-1"), "synthetic:users=-1: expected key=value with a non-negative integer value, got 'users=-1'");
    }

    [Fact]
    public void Stats_json_is_the_only_thing_on_stdout_and_the_tables_are_not()
    {
        var json = CliHarness.Run("data", "stats", "synthetic:users=50,items=30,groups=4", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("", json.Err);
        // Parse reads the whole text: anything besides the one document would fail it.
        using (var document = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(50, document.RootElement.GetProperty("users").GetInt32());
            Assert.Equal(50, document.RootElement.GetProperty("preprocessing").GetProperty("raw_users").GetInt32());
        }

        var tables = CliHarness.Run("data", "stats", "synthetic:users=50,items=30,groups=4");
        Assert.True(tables.ExitCode == 0, tables.ToString());
        Assert.Equal("", tables.Err);
        Assert.StartsWith("synthetic", tables.Out);
        Assert.Contains("users with a test target", tables.Out);
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
