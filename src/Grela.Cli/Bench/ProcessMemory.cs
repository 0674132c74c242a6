namespace Grela.Cli.Bench;

/// <summary>
/// Resident memory of this process from /proc (Linux). Peak RSS (VmHWM) includes libtorch's
/// native allocations, which the .NET GC does not see.
/// </summary>
public static class ProcessMemory
{
    public static double? PeakRssMb() => ReadStatusKb("VmHWM:") is { } kb ? kb / 1024.0 : null;

    public static double? CurrentRssMb() => ReadStatusKb("VmRSS:") is { } kb ? kb / 1024.0 : null;

    static long? ReadStatusKb(string key)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.TryParse(parts[0], out var kb) ? kb : null;
        }
        return null;
    }
}
