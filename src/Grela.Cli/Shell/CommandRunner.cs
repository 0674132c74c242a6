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
    public static int Run(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserInputException e)
        {
            WriteError(context.Err, e.Message);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            WriteError(context.Err, "interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            var debug = Environment.GetEnvironmentVariable("GRELA_DEBUG") == "1";
            WriteError(context.Err, debug ? e.ToString()
                : e is System.Runtime.InteropServices.ExternalException native ? $"libtorch: {NativeErrorText.Summary(native)}"
                : $"{e.GetType().Name}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    public static void WriteError(TextWriter writer, string message) =>
        CliOutput.CreateConsole(writer).MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
}
