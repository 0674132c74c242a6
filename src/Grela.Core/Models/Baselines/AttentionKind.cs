namespace Grela.Models.Baselines;

/// <summary>The token mixer of a <see cref="MultiHeadAttention"/> layer.</summary>
public enum AttentionKind
{
    /// <summary>Causal softmax attention (SASRec).</summary>
    Softmax,

    /// <summary>LinRec's linear attention (ELU features, L2-normalised per token), in its causal form.</summary>
    LinRec,
}
