using System.Diagnostics;

namespace Grela.Cli.Bench;

/// <summary>Runs this same grela executable as a child process with a wall-clock limit.</summary>
public static class ChildProcess
{
    public sealed record Outcome(int? ExitCode, bool TimedOut, string Stdout, string Stderr);

    /// <summary>
    /// How to start grela again: the apphost when this process is it; otherwise (`dotnet grela.dll`,
    /// or a test host that loaded the CLI assembly) the dotnet host with the CLI assembly.
    /// </summary>
    static (string FileName, string[] Prefix) SelfCommand()
    {
        var self = Environment.ProcessPath ?? "dotnet";
        if (Path.GetFileNameWithoutExtension(self) == "grela") return (self, []);
        var host = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return (host, [typeof(ChildProcess).Assembly.Location]);
    }

    public static Outcome RunSelf(IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var (fileName, prefix) = SelfCommand();
        info.FileName = fileName;
        foreach (var p in prefix) info.ArgumentList.Add(p);
        foreach (var a in args) info.ArgumentList.Add(a);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
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
