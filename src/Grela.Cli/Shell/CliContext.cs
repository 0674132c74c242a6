using Grela.Training;

namespace Grela.Cli.Shell;

/// <summary>
/// What one invocation of grela talks to: its output streams, a cancellation token (Ctrl-C) and an
/// optional per-step hook. The executable uses the process console; in-process tests pass writers
/// and their own token.
/// </summary>
public sealed record CliContext(TextWriter Out, TextWriter Err, CancellationToken Cancel, Action<StepReport>? OnStep = null)
{
    /// <summary>The real console; Ctrl-C cancels the token (the first press only: a second one kills the process).</summary>
    public static CliContext ForConsole()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancel.IsCancellationRequested)
                return;
            e.Cancel = true;
            cancel.Cancel();
        };
        return new CliContext(Console.Out, Console.Error, cancel.Token);
    }
}
