namespace Grela.Layers;

/// <summary>The hyperparameter must be &gt; 0 (sizes, counts).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class PositiveAttribute : Attribute;

/// <summary>The hyperparameter must be &gt;= 0.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class NonNegativeAttribute : Attribute;

/// <summary>The hyperparameter is a rate (dropout, drop-path): it must lie in [0, 1).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class RateAttribute : Attribute;

/// <summary>
/// The hyperparameter must divide another one, e.g. <c>[Divides(nameof(Dim))] int Heads</c>
/// (Dim % Heads == 0, so every head gets an equal share of the width). With
/// <see cref="QuotientMultipleOf"/> the share is constrained too:
/// <c>[Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads</c> also needs Dim / Heads even.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class DividesAttribute(string target) : Attribute
{
    /// <summary>Name of the hyperparameter that must be a multiple of this one.</summary>
    public string Target { get; } = target;

    /// <summary>
    /// What the quotient target / value must be a multiple of (a constant of at least 1; 1, the
    /// default, leaves it free), e.g. 2 where rotary encoding turns each head's channels in pairs.
    /// </summary>
    public int QuotientMultipleOf { get; set; } = 1;
}

/// <summary>
/// The hyperparameter must be a multiple of <paramref name="factor"/> (a constant of at least 1), e.g.
/// <c>[MultipleOf(2)] int Dim</c> where rotary encoding turns the channels in pairs, so an odd width
/// would leave one channel without a partner.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class MultipleOfAttribute(int factor) : Attribute
{
    /// <summary>What the value must be a multiple of.</summary>
    public int Factor { get; } = factor;
}
