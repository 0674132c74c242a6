using System.Globalization;

namespace Grela.Cli.Shell;

/// <summary>train.log: every message of a run, one timestamped line each, appended and flushed as it happens.</summary>
internal sealed class RunLog(string path) : IDisposable
{
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };

    public void Write(string message)
    {
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        foreach (var line in message.Split('\n'))
            _writer.WriteLine($"{stamp} {line}");
    }

    public void Dispose() => _writer.Dispose();
}
