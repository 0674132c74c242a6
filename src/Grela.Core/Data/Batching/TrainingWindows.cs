namespace Grela.Data.Batching;

/// <summary>Which windows of a history longer than the window length all-position training reads.</summary>
public enum TrainingWindows
{
    /// <summary>Every window, cut from the newest target back: each training target once an epoch.</summary>
    All,
    /// <summary>Only the newest window (SASRec's usual recipe: older history is never a target).</summary>
    Last,
}

/// <summary>
/// <see cref="TrainingWindows"/> as config files, config.json and the command line spell it (key
/// `windows`). The shell parses the spelling once, here, and compares the enum from then on.
/// </summary>
public static class TrainingWindowNames
{
    private static readonly Text.Spellings<TrainingWindows> Spelt = new("windows",
        ("all", TrainingWindows.All), ("last", TrainingWindows.Last));

    /// <summary>The spellings: all (the default), last.</summary>
    public static IReadOnlyList<string> Names => Spelt.Names;

    public static TrainingWindows Parse(string name) => Spelt.Parse(name);
}
