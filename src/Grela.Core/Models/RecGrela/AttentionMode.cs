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
    private static readonly Text.Spellings<AttentionMode> Spelt = new("attention",
        ("causal", AttentionMode.Causal), ("global", AttentionMode.Global));

    /// <summary>The spellings, causal (the default) first.</summary>
    public static IReadOnlyList<string> Names => Spelt.Names;

    public static AttentionMode Parse(string name) => Spelt.Parse(name);
}
