using System.Diagnostics;
using System.Reflection;

namespace Grela.Cli.Bench;

/// <summary>Runs this same grela executable as a child process with a wall-clock limit.</summary>
public static class ChildProcess
{
    public sealed record Outcome(int? ExitCode, bool TimedOut, string Stdout, string Stderr);

    public static Outcome RunSelf(IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Launched as `dotnet grela.dll` the process path is the dotnet host: pass the assembly too.
        var self = Environment.ProcessPath ?? "dotnet";
        info.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) info.ArgumentList.Add(a);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {self}");
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
