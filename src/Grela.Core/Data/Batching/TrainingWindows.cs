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
    /// <summary>The spellings, in enum order: all (the default), last.</summary>
    public static readonly IReadOnlyList<string> Names = ["all", "last"];

    /// <summary>The choice spelt <paramref name="name"/>, exactly as <see cref="Names"/> spells it.</summary>
    public static TrainingWindows Parse(string name) => name switch
    {
        "all" => TrainingWindows.All,
        "last" => TrainingWindows.Last,
        _ => throw new ArgumentException($"windows: expected one of {string.Join(", ", Names)}, got \"{name}\"", nameof(name)),
    };
}
