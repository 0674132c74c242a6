using System.CommandLine;

namespace Grela.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() =>
        new("--json") { Description = "print only machine-readable JSON on stdout (human output goes to stderr)" };

    public static Option<string> Run() =>
        new("--run") { Description = "run folder (from grela train or grela import)", HelpName = "DIR", Required = true };

    public static Option<string?> Device() =>
        new Option<string?>("--device") { Description = "where tensors live", HelpName = "auto|cpu|cuda" }.FromAmong("auto", "cpu", "cuda");

    public static Option<int?> Threads() =>
        new("--threads") { Description = "CPU threads for tensor kernels (0: library default)", HelpName = "N" };

    private static Option<string?> FromAmong(this Option<string?> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
