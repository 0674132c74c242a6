using System.Diagnostics;

namespace Grela.Cli.Bench;

/// <summary>Runs this same grela executable as a child process with a wall-clock limit.</summary>
public static class ChildProcess
{
    public sealed record Outcome(int? ExitCode, bool TimedOut, string Stdout, string Stderr);

    public static Outcome RunSelf(IEnumerable<string> args, TimeSpan timeout)
    {
        var info = Shell.SelfProcess.StartInfo(args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Outcome(null, true, stdout.Result, stderr.Result);
        }
        return new Outcome(process.ExitCode, false, stdout.Result, stderr.Result);
    }
}
