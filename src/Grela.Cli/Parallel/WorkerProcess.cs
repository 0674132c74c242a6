using System.Diagnostics;
using Grela.Training.Parallel;

namespace Grela.Cli.Parallel;

/// <summary>
/// A `grela worker` child process that computes part of every training step (see
/// <see cref="GradientWorker"/>). It speaks on its stdin and stdout; its stderr is this process's,
/// so anything it reports shows up in the console as it happens. Closing its stdin ends it.
/// </summary>
internal sealed class WorkerProcess : IGradientPeer
{
    private readonly Process _process;
    private readonly StreamGradientPeer _streams;

    private WorkerProcess(Process process)
    {
        _process = process;
        _streams = new StreamGradientPeer(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
    }

    /// <summary>Starts a worker and sends it the handshake.</summary>
    public static WorkerProcess Start(WorkerHandshake handshake)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var (file, prefix) = Command();
        start.FileName = file;
        foreach (var arg in prefix) start.ArgumentList.Add(arg);
        start.ArgumentList.Add(WorkerCommand.Name);
        start.Environment["OMP_NUM_THREADS"] = handshake.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the gradient worker ({file})");
        var worker = new WorkerProcess(process);
        handshake.Write(process.StandardInput.BaseStream);
        return worker;
    }

    /// <summary>
    /// This program again: the grela executable, or `dotnet exec Grela.Cli.dll` where the host is
    /// dotnet itself (tests, `dotnet Grela.Cli.dll`).
    /// </summary>
    private static (string File, string[] Prefix) Command()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown: cannot start a gradient worker");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? (host, ["exec", typeof(WorkerProcess).Assembly.Location])
            : (host, []);
    }

    public void Send(GradientRequest request) => Guard(() => { _streams.Send(request); return 0; });

    public GradientReply Receive() => Guard(_streams.Receive);

    private T Guard<T>(Func<T> io)
    {
        try
        {
            return io();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            var code = _process.WaitForExit(5000) ? $"exited with code {_process.ExitCode}" : "stopped answering";
            throw new InvalidOperationException($"the gradient worker process {code} (its own error, if any, is printed above)", e);
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
                _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
