using System.Diagnostics;
using Grela.Cli.Shell;
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
        var start = SelfProcess.StartInfo([WorkerCommand.Name]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.Environment["OMP_NUM_THREADS"] = handshake.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the gradient worker ({start.FileName})");
        var worker = new WorkerProcess(process);
        handshake.Write(process.StandardInput.BaseStream);
        return worker;
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
