namespace Grela.Models.RecGrela;

/// <summary>How RecGRELA's linear attention sees the sequence.</summary>
public enum AttentionMode
{
    /// <summary>
    /// The official computation, quirks included: every position of the right-padded window of
    /// exactly MaxLength positions (padding too) is in the sums; trained one prefix per sample.
    /// </summary>
    Global,

    /// <summary>
    /// The exact causal form: position t attends to real positions &lt;= t only, padding removed;
    /// trainable on every position in one pass and steppable one interaction at a time.
    /// </summary>
    Causal,
}

/// <summary>
/// <see cref="AttentionMode"/> as config files, config.json and the command line spell it. The
/// shell parses the spelling once, here, and compares modes from then on.
/// </summary>
public static class AttentionModes
{
    /// <summary>The spellings, causal (the default) first.</summary>
    public static readonly IReadOnlyList<string> Names = ["causal", "global"];

    /// <summary>The mode spelt <paramref name="name"/>, exactly as <see cref="Names"/> spells it.</summary>
    public static AttentionMode Parse(string name) => name switch
    {
        "causal" => AttentionMode.Causal,
        "global" => AttentionMode.Global,
        _ => throw new ArgumentException($"attention: expected one of {string.Join(", ", Names)}, got \"{name}\"", nameof(name)),
    };
}
