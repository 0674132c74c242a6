using System.Runtime.InteropServices;

namespace Grela.Errors;

/// <summary>
/// What a user needs of a libtorch error that TorchSharp raises as <see cref="ExternalException"/>:
/// the message and where libtorch raised it, without PyTorch's invitation to report the wording and
/// without the native stack frames (which stay available with GRELA_DEBUG=1).
/// </summary>
public static class NativeErrorText
{
    private const string Invitation = "(Could this error message be improved?";

    /// <summary>"message (raised from f at file:line)".</summary>
    public static string Summary(ExternalException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "libtorch error (no message)";
        var message = lines[0];
        var cut = message.IndexOf(Invitation, StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut].TrimEnd();
        const string raised = "Exception raised from ";
        var origin = lines.FirstOrDefault(l => l.StartsWith(raised, StringComparison.Ordinal));
        if (origin is null) return message;
        var where = origin[raised.Length..];
        var tail = where.IndexOf(" (most recent call first)", StringComparison.Ordinal);
        return $"{message} (raised from {(tail >= 0 ? where[..tail] : where.TrimEnd(':'))})";
    }
}
