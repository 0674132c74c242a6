using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Grela.Tests.Architecture;

/// <summary>
/// Issue 11: Core's arrows point one way (docs/architecture.md). The run layer (Core/Runs) uses the
/// loop, data, models and host settings; nothing else in Core uses the run layer or the host
/// settings; and no Core message names a command-line flag (the shell adds those). Checked on the
/// real sources.
/// </summary>
public sealed partial class LayeringTests
{
    private static string Core([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "src", "Grela.Core"));

    private static IEnumerable<(string Folder, string File, string Text)> Sources() =>
        Directory.EnumerateFiles(Core(), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Core(), f))
            .Where(f => !f.StartsWith("obj", StringComparison.Ordinal) && !f.StartsWith("bin", StringComparison.Ordinal))
            .Select(f => (f.Split(Path.DirectorySeparatorChar)[0], f, File.ReadAllText(Path.Combine(Core(), f))));

    [Fact]
    public void Core_has_the_sources_this_test_reads()
    {
        var folders = Sources().Select(s => s.Folder).ToHashSet();
        Assert.Superset(new HashSet<string> { "Runs", "Host", "Training", "Data", "Models" }, folders);
    }

    [Fact]
    public void Only_the_run_layer_uses_Grela_Runs_and_Grela_Host()
    {
        var offenders = Sources()
            .Where(s => s.Folder is not ("Runs" or "Host") && (UsesNamespace(s.Text, "Runs") || UsesNamespace(s.Text, "Host")))
            .Select(s => s.File).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void No_Core_message_names_a_command_line_flag()
    {
        var offenders = Sources()
            .SelectMany(s => s.Text.Split('\n').Select((line, i) => (s.File, Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && FlagInString().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}").ToList();
        Assert.Empty(offenders);
    }

    private static bool UsesNamespace(string text, string name) =>
        Regex.IsMatch(text, $@"(using\s+Grela\.{name}\s*;|\bGrela\.{name}\.|[^.\w]{name}\.[A-Z])");

    /// <summary>A string literal holding "--" and a letter: a flag such as --out.</summary>
    [GeneratedRegex("\"[^\"]*--[a-z][^\"]*\"")]
    private static partial Regex FlagInString();
}
