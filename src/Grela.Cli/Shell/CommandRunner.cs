using Grela.Errors;
using Spectre.Console;

namespace Grela.Cli.Shell;

/// <summary>
/// The one place where exceptions become exit codes and messages: user errors are printed plainly
/// (exit 2), anything else as a runtime failure (exit 1) with the stack trace only when
/// GRELA_DEBUG=1.
/// </summary>
public static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserInputException e)
        {
            WriteError(e.Message);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            WriteError("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            WriteError(Environment.GetEnvironmentVariable("GRELA_DEBUG") == "1" ? e.ToString() : $"{e.GetType().Name}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    public static void WriteError(string message)
    {
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
