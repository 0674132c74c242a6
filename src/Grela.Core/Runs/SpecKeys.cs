using System.Globalization;
using System.Reflection;
using Grela.Layers;
using Grela.Models.RecGrela;

namespace Grela.Runs;

/// <summary>
/// The config keys that become a model's hyperparameters (<c>dim</c> is <see cref="RecGrelaModel.Dim"/>,
/// <c>heads</c> <see cref="RecGrelaModel.Heads"/>, ...), checked against the constraints the record
/// declares on those parameters (<c>[Positive]</c>, <c>[NonNegative]</c>, <c>[Rate]</c>,
/// <c>[Divides]</c> with its QuotientMultipleOf) with <see cref="LayerValidation"/>'s rules. Each
/// constraint is stated once, on the record; the config reports it under the key the user typed,
/// before any data is read or model built.
/// </summary>
/// <remarks>
/// RecGRELA's record is the reference for every model, as the config's checks always were: a key is
/// valid or not whatever <c>model</c> says (gru4rec ignores <c>heads</c>, and <c>--heads 5</c> is
/// still an error for it). A baseline's own record validates again when it is built. The one
/// exception is a [Divides] QuotientMultipleOf, RecGRELA's even head width: its rotary encoding
/// turns channel pairs, the baselines declare no such rule and take any head width, so it applies
/// only when <c>model</c> is recgrela.
/// Rules no attribute states stay in <see cref="ConfigResolution.CheckRanges"/>: the upper limits and
/// the training keys that are no layer's hyperparameter.
/// </remarks>
public static class SpecKeys
{
    /// <summary>
    /// A config key and the <see cref="RecGrelaModel"/> parameter it becomes; <paramref name="Why"/>
    /// explains a [Divides] to the user, <paramref name="QuotientWhy"/> its QuotientMultipleOf.
    /// </summary>
    private sealed record Binding(string Key, string Parameter, string? Why = null, string? QuotientWhy = null)
    {
        public IReadOnlyList<Attribute> Constraints { get; } = ConstraintsOf(Parameter);
    }

    /// <summary>In the order their errors are reported.</summary>
    private static readonly Binding[] Bindings =
    [
        new("max-len", nameof(RecGrelaModel.MaxLength)),
        new("dim", nameof(RecGrelaModel.Dim)),
        new("layers", nameof(RecGrelaModel.Layers)),
        new("heads", nameof(RecGrelaModel.Heads), "each head gets dim/heads channels", "rotary encoding turns channel pairs"),
        new("dropout", nameof(RecGrelaModel.Dropout)),
        new("drop-path", nameof(RecGrelaModel.DropPathRate)),
    ];

    /// <summary>The keys checked here, in order.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Bindings.Select(b => b.Key)];

    /// <summary>
    /// Every violation, each naming its key: per key the first failing value rule, else its upper
    /// limit (<see cref="ConfigResolution.Limits"/>); then its [Divides], once its own value passed,
    /// and only where it divides, the quotient's multiple.
    /// </summary>
    public static IEnumerable<string> Violations(TrainingConfig config)
    {
        foreach (var binding in Bindings)
        {
            var value = ValueOf(binding.Key, config);
            var broken = binding.Constraints.FirstOrDefault(a => a is not DividesAttribute && !Holds(a, value));
            if (broken is not null)
            {
                yield return $"'{binding.Key}' {Rule(broken)}, got {Show(value)}";
                continue;
            }
            if (value is int whole && ConfigResolution.AboveLimit(binding.Key, whole) is { } limit)
                yield return limit;
            foreach (var divides in binding.Constraints.OfType<DividesAttribute>())
            {
                var target = Bindings.First(b => b.Parameter == divides.Target).Key;
                var of = Convert.ToInt64(ValueOf(target, config), CultureInfo.InvariantCulture);
                var by = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (!LayerValidation.IsDivisor(by, of))
                    yield return $"'{binding.Key}' ({by}) must divide '{target}' ({of})" + Because(binding.Why);
                else if (config.Model == RecGrelaRecommender.ModelName && !LayerValidation.IsDivisor(by, of, divides.QuotientMultipleOf))
                    yield return $"'{target}'/'{binding.Key}' ({of}/{by} = {of / by}) must be {MultipleOf(divides.QuotientMultipleOf)} for {config.Model}"
                        + Because(binding.QuotientWhy);
            }
        }
    }

    private static object ValueOf(string key, TrainingConfig config) =>
        ConfigCatalogue.Find(key)!.Get(config) ?? throw new InvalidOperationException($"config key '{key}' has no value");

    private static bool Holds(Attribute constraint, object value)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return constraint switch
        {
            PositiveAttribute => LayerValidation.IsPositive(number),
            NonNegativeAttribute => LayerValidation.IsNonNegative(number),
            RateAttribute => LayerValidation.IsRate(number),
            _ => true,
        };
    }

    /// <summary>The config's wording of a value rule (the interval written out for rates).</summary>
    private static string Rule(Attribute constraint) => constraint switch
    {
        PositiveAttribute => "must be positive",
        NonNegativeAttribute => "must be 0 or positive",
        _ => "must be in [0, 1)",
    };

    private static string Because(string? why) => why is null ? "" : ": " + why;

    private static string MultipleOf(int multiple) => multiple == 2 ? "even" : $"a multiple of {multiple}";

    private static string Show(object value) => value is double d
        ? d.ToString("R", CultureInfo.InvariantCulture)
        : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    /// <summary>The constraint attributes on a parameter of RecGRELA's primary constructor.</summary>
    private static IReadOnlyList<Attribute> ConstraintsOf(string parameter)
    {
        var constructor = typeof(RecGrelaModel).GetConstructors()
            .Single(c => c.GetParameters().Any(p => p.Name == nameof(RecGrelaModel.Items)));
        var info = constructor.GetParameters().SingleOrDefault(p => p.Name == parameter)
            ?? throw new InvalidOperationException($"{nameof(RecGrelaModel)} has no parameter {parameter}");
        return [.. info.GetCustomAttributes().Where(a => a is PositiveAttribute or NonNegativeAttribute or RateAttribute or DividesAttribute)];
    }
}
