using Grela.Cli;
using Grela.Cli.Shell;
using Grela.Training;

namespace Grela.Tests.Cli;

/// <summary>What one in-process grela invocation did.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>Runs grela in-process through <see cref="Program.Run(string[], CliContext)"/> with captured output.</summary>
internal static class CliHarness
{
    /// <summary>The tiny synthetic setup every CLI test trains on (seconds per run).</summary>
    public static readonly string[] TinyTraining =
    [
        "--data", "synthetic:users=120,items=60,groups=4,min-len=8,max-len=20,seed=3",
        "--max-len", "20", "--dim", "16", "--layers", "1", "--heads", "2", "--batch-size", "32", "--seed", "1",
    ];

    public static CliResult Run(params string[] args) => Run(CancellationToken.None, null, args);

    public static CliResult Run(CancellationToken cancel, Action<StepReport>? onStep, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, new CliContext(stdout, stderr, cancel, onStep));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static string[] Train(string outDir, params string[] extra) => ["train", .. TinyTraining, "--out", outDir, .. extra];
}
