namespace Grela.Data.Batching;

/// <summary>Which windows of a history longer than the window length all-position training reads.</summary>
public enum TrainingWindows
{
    /// <summary>Every window, cut from the newest target back: each training target once an epoch.</summary>
    All,
    /// <summary>Only the newest window (SASRec's usual recipe: older history is never a target).</summary>
    Last,
}
