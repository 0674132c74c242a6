using System.Globalization;
using Grela.Errors;
using LanguageExt;

namespace Grela.Layers;

/// <summary>
/// Hyperparameter checks used by generated <c>Violations</c> methods. Each returns an empty
/// sequence or one message of the form "path: Name must be ..., got value".
/// </summary>
public static class LayerValidation
{
    // The rules themselves, one predicate per attribute: the generated checks below and the run
    // configuration's checks of the keys that become hyperparameters (the run layer's SpecKeys) both use them.

    /// <summary>The rule of [Positive]: value &gt; 0.</summary>
    public static bool IsPositive(double value) => value > 0;

    /// <summary>The rule of [NonNegative]: value &gt;= 0.</summary>
    public static bool IsNonNegative(double value) => value >= 0;

    /// <summary>The rule of [Rate]: value in [0, 1) (NaN is not).</summary>
    public static bool IsRate(double value) => value is >= 0 and < 1;

    /// <summary>
    /// The rule of [Divides(target, QuotientMultipleOf = multiple)]: value != 0, target % value == 0
    /// and (target / value) % multiple == 0 (a multiple of 1, the default, is plain [Divides]).
    /// </summary>
    public static bool IsDivisor(long value, long target, long quotientMultipleOf = 1) =>
        value != 0 && target % value == 0 && target / value % quotientMultipleOf == 0;

    /// <summary>The rule of [MultipleOf(factor)]: value % factor == 0 (0 is a multiple of every factor).</summary>
    public static bool IsMultipleOf(long value, long factor) => value % factor == 0;

    /// <summary>[Positive]: value &gt; 0.</summary>
    public static Seq<string> Positive(string path, string name, double value) =>
        IsPositive(value) ? Seq<string>.Empty : Fail(path, name, "must be positive", value);

    /// <summary>[NonNegative]: value &gt;= 0.</summary>
    public static Seq<string> NonNegative(string path, string name, double value) =>
        IsNonNegative(value) ? Seq<string>.Empty : Fail(path, name, "must be non-negative", value);

    /// <summary>[Rate]: value in [0, 1).</summary>
    public static Seq<string> Rate(string path, string name, double value) =>
        IsRate(value) ? Seq<string>.Empty : Fail(path, name, "must be a rate in [0, 1)", value);

    /// <summary>
    /// [Divides(target, QuotientMultipleOf = multiple)]: target % value == 0, then (target / value) %
    /// multiple == 0; one message, for the first that fails.
    /// </summary>
    public static Seq<string> Divides(string path, string name, long value, string targetName, long target, long quotientMultipleOf = 1)
    {
        if (!IsDivisor(value, target))
            return Seq1(Prefix(path) + name + " must divide " + targetName + " (" + Str(target) + "), got " + Str(value));
        return IsDivisor(value, target, quotientMultipleOf)
            ? Seq<string>.Empty
            : Seq1(Prefix(path) + targetName + " / " + name + " must be a multiple of " + Str(quotientMultipleOf)
                + ", got " + Str(target) + " / " + Str(value) + " = " + Str(target / value));
    }

    /// <summary>[MultipleOf(factor)]: value % factor == 0.</summary>
    public static Seq<string> MultipleOf(string path, string name, long value, long factor) =>
        IsMultipleOf(value, factor) ? Seq<string>.Empty : Fail(path, name, "must be a multiple of " + Str(factor), value);

    /// <summary>
    /// The record itself when <paramref name="violations"/> is empty, otherwise every violation.
    /// </summary>
    public static Validation<string, T> ToValidation<T>(Seq<string> violations, T layer) =>
        violations.IsEmpty ? Prelude.Success<string, T>(layer) : Prelude.Fail<string, T>(violations);

    /// <summary>Throws <see cref="InvalidLayerException"/> listing every violation, if any.</summary>
    public static void ThrowIfInvalid(Seq<string> violations, string typeName)
    {
        if (!violations.IsEmpty) throw new InvalidLayerException(typeName, violations);
    }

    private static Seq<string> Seq1(string message) => Prelude.Seq1(message);

    private static Seq<string> Fail(string path, string name, string rule, double value) =>
        Seq1(Prefix(path) + name + " " + rule + ", got " + Str(value));

    private static string Prefix(string path) => path.Length == 0 ? "" : path + ": ";

    private static string Str(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A layer's hyperparameters violate their declared constraints (all violations listed).</summary>
public sealed class InvalidLayerException(string typeName, Seq<string> violations)
    : UserInputException("invalid " + typeName + " hyperparameters:" + string.Concat(violations.Map(v => "\n  - " + v)))
{
    /// <summary>Every violation, one message each.</summary>
    public Seq<string> Violations { get; } = violations;
}
