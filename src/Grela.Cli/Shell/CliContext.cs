using System.Runtime.InteropServices;
using Grela.Training;

namespace Grela.Cli.Shell;

/// <summary>
/// What one invocation of grela talks to: its output streams, a cancellation token (Ctrl-C while
/// training) and an optional per-step hook. The executable uses the process console; in-process
/// tests pass writers and their own token.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Err, CancellationToken Cancel, Action<StepReport>? OnStep = null)
{
    /// <summary>Set while a command can stop cleanly on Ctrl-C (training); otherwise Ctrl-C ends the process at once.</summary>
    internal InterruptGate Interrupts { get; init; } = new();

    /// <summary>
    /// The real console. While the gate is open, the first Ctrl-C cancels the token and lets the
    /// command finish its step; a second one (or any Ctrl-C while the gate is closed) ends the process.
    /// </summary>
    public static CliContext ForConsole()
    {
        var cancel = new CancellationTokenSource();
        var gate = new InterruptGate();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!gate.IsOpen || cancel.IsCancellationRequested)
                return;
            e.Cancel = true;
            cancel.Cancel();
        };
        // SIGTERM (kill, job schedulers, container stops) gets the same graceful stop: a training
        // run sent to the background by a shell ignores SIGINT, so this is its only clean exit.
        // Outside training (start-up, loading data, evaluation) or on a second signal it ends the
        // process at once, with the documented 130 rather than the signal's default 143.
        _terminate ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!gate.IsOpen || cancel.IsCancellationRequested)
            {
                Console.Error.WriteLine("error: interrupted (SIGTERM)");
                // Not Environment.Exit: the training thread may be inside a libtorch kernel (see ImmediateExit).
                ImmediateExit.Now(ExitCodes.Interrupted);
            }
            cancel.Cancel();
        });
        return new CliContext(Console.Out, Console.Error, cancel.Token) { Interrupts = gate };
    }

    // Kept for the life of the process: disposing the registration restores the default action.
    private static PosixSignalRegistration? _terminate;
}

/// <summary>Whether Ctrl-C is currently turned into a graceful stop.</summary>
internal sealed class InterruptGate
{
    private int _open;

    public bool IsOpen => Volatile.Read(ref _open) > 0;

    /// <summary>Opens the gate until the returned handle is disposed.</summary>
    public IDisposable Open()
    {
        Interlocked.Increment(ref _open);
        return new Closer(this);
    }

    private sealed class Closer(InterruptGate gate) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
                Interlocked.Decrement(ref gate._open);
        }
    }
}
