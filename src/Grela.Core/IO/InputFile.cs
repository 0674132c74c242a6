using System.Text;
using Grela.Errors;

namespace Grela.IO;

/// <summary>
/// The one way grela reads a file a user names: regular files only, read with a bound, text as
/// strict UTF-8 with a bound on each line. A FIFO, a device (/dev/zero, /dev/urandom) or a /proc
/// file reports size 0 and is refused without being opened, so nothing blocks or reads forever;
/// a regular file is read up to the size it had when it was checked.
/// </summary>
public static class InputFile
{
    /// <summary>Longest line of a text input (interaction files, configs): 8 MiB.</summary>
    public const int MaxLineBytes = 8 << 20;

    /// <summary>Largest file read whole into memory: 2 GiB minus a little (the .NET array limit).</summary>
    public const long MaxBytes = 0x7FFFFFC7;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The size of <paramref name="path"/> after checking that it is a regular, non-empty file no
    /// larger than <paramref name="maxBytes"/>; <paramref name="what"/> says what was expected ("an
    /// interaction file") and every message starts with the path.
    /// </summary>
    public static long Check(string path, string what, long maxBytes = MaxBytes)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"{path}: is a folder; expected {what}");
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new UserInputException($"{path}: no such file; expected {what}");
        if (info.Length == 0)
            throw new UserInputException($"{path}: the file is empty (or not a regular file: FIFOs, devices and /proc files are not read); expected {what}");
        if (info.Length > maxBytes)
            throw new UserInputException($"{path}: {info.Length:N0} bytes is more than the {maxBytes:N0} bytes grela reads for {what}");
        return info.Length;
    }

    /// <summary>Reads a checked file (<see cref="Check"/>): at most the size it had when checked.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes = MaxBytes)
    {
        var size = Check(path, what, maxBytes);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var bytes = new byte[size];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                    break;
                read += n;
            }
            return read == bytes.Length ? bytes : bytes[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    /// <summary>
    /// The lines of a checked text file: strict UTF-8 (an invalid byte is an error naming the line,
    /// never a replacement character that would merge distinct ids), each line at most
    /// <see cref="MaxLineBytes"/>; a UTF-8 byte-order mark is skipped; "\r\n" ends a line like "\n".
    /// </summary>
    public static string[] ReadLines(string path, string what, long maxBytes = MaxBytes, int maxLineBytes = MaxLineBytes) =>
        SplitLines(ReadAllBytes(path, what, maxBytes), path, maxLineBytes);

    /// <summary>The text of a checked file as strict UTF-8 (see <see cref="ReadLines"/>).</summary>
    public static string ReadText(string path, string what, long maxBytes, int maxLineBytes = MaxLineBytes) =>
        string.Join('\n', ReadLines(path, what, maxBytes, maxLineBytes));

    /// <summary>Splits bytes into strictly decoded lines; <paramref name="path"/> names the file in errors.</summary>
    public static string[] SplitLines(ReadOnlySpan<byte> bytes, string path, int maxLineBytes = MaxLineBytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        var lines = new List<string>();
        var number = 0;
        while (bytes.Length > 0)
        {
            number++;
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (line.Length > maxLineBytes)
                throw new UserInputException($"{path}:{number}: the line is longer than {maxLineBytes:N0} bytes (the limit for one line)");
            if (line.EndsWith("\r"u8))
                line = line[..^1];
            lines.Add(Decode(line, path, number));
        }
        return [.. lines];
    }

    private static string Decode(ReadOnlySpan<byte> line, string path, int number)
    {
        try
        {
            return StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" at byte {e.Index + 1} of the line" : "";
            throw new UserInputException($"{path}:{number}: invalid UTF-8{at}; ids must be UTF-8 text (re-encode the file, e.g. iconv -t UTF-8)", e);
        }
    }
}
