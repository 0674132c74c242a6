namespace Grela.Tests.Data;

/// <summary>
/// Locates ../shared/data (the licensed real datasets, never in the repository): GRELA_SHARED_DATA,
/// else `shared/data` beside the repository root or any folder above it.
/// </summary>
public static class SharedData
{
    public static readonly string? Folder = Locate();

    public const string Missing = "the real datasets are not here (set GRELA_SHARED_DATA or place them at ../shared/data); this opt-in test needs them";

    public static string? File(params string[] parts)
    {
        if (Folder is null) return null;
        var path = Path.Combine([Folder, .. parts]);
        return System.IO.File.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("GRELA_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv))
            return Directory.Exists(fromEnv) ? fromEnv : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A fact that runs only where ../shared/data is present, and is skipped with the reason otherwise.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null) Skip = SharedData.Missing;
    }
}
