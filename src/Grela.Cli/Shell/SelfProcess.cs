using System.Diagnostics;

namespace Grela.Cli.Shell;

/// <summary>Starting this same grela program again as a child (benchmark cases, gradient workers).</summary>
internal static class SelfProcess
{
    /// <summary>
    /// How to start grela again with <paramref name="args"/>: the apphost when this process is it;
    /// otherwise (`dotnet grela.dll`, or a test host that loaded the CLI assembly) the dotnet host with
    /// the CLI assembly. Redirections are the caller's.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "grela")
            info.FileName = self;
        else
        {
            info.FileName = Path.GetFileNameWithoutExtension(self) == "dotnet"
                ? self
                : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            info.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
