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
