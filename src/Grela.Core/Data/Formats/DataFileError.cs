using Grela.Errors;

namespace Grela.Data.Formats;

/// <summary>Builds the user-facing errors for malformed interaction files: file, line, offending text, expectation.</summary>
internal static class DataFileError
{
    private const int MaxShown = 80;

    /// <summary>"<c>path:line: expected X, got 'text'</c>".</summary>
    public static UserInputException At(string path, int line, string expected, ReadOnlySpan<char> got) =>
        new($"{path}:{line}: expected {expected}, got '{Shorten(got)}'");

    /// <summary>"<c>path:line: message</c>" for problems that are not a single bad token.</summary>
    public static UserInputException AtLine(string path, int line, string message) => new($"{path}:{line}: {message}");

    /// <summary>"<c>path: message</c>" for problems of the whole file.</summary>
    public static UserInputException InFile(string path, string message) => new($"{path}: {message}");

    /// <summary>The text as shown in messages: tabs made visible, long text cut.</summary>
    public static string Shorten(ReadOnlySpan<char> text)
    {
        var shown = text.Length > MaxShown ? string.Concat(text[..MaxShown], "...") : text.ToString();
        return shown.Replace("\t", "\\t");
    }
}
