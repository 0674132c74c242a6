using System.Globalization;
using Grela.Errors;

namespace Grela.Data.Synthetic;

/// <summary>
/// Size and seed of the built-in synthetic dataset, written as a dataset name:
/// <c>synthetic</c> or <c>synthetic:users=1000,items=500,groups=20,min-len=20,max-len=100,seed=7</c>
/// (any subset of the keys, in any order).
/// </summary>
/// <param name="Users">Number of users.</param>
/// <param name="Items">Number of items.</param>
/// <param name="Groups">Number of item groups (topics); items are spread evenly over them.</param>
/// <param name="MinLength">Shortest sequence.</param>
/// <param name="MaxLength">Longest sequence (lengths are uniform in [MinLength, MaxLength]).</param>
/// <param name="Seed">Seed: the same spec always gives the same dataset.</param>
public sealed record SyntheticSpec(int Users = 1000, int Items = 500, int Groups = 20, int MinLength = 20, int MaxLength = 100, ulong Seed = 7)
{
    /// <summary>The dataset name prefix.</summary>
    public const string Name = "synthetic";

    /// <summary>Whether <paramref name="source"/> names the synthetic dataset rather than a file.</summary>
    public static bool IsSynthetic(string source) =>
        source.Equals(Name, StringComparison.OrdinalIgnoreCase) || source.StartsWith(Name + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>synthetic[:key=value,...]</c>.</summary>
    public static SyntheticSpec Parse(string source)
    {
        if (!IsSynthetic(source))
            throw new UserInputException($"'{source}' is not a synthetic dataset name; expected 'synthetic' or 'synthetic:users=N,items=N,...'");
        var spec = new SyntheticSpec();
        var colon = source.IndexOf(':');
        if (colon < 0) return spec.Validated(source);
        foreach (var part in source[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !long.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0 || value > int.MaxValue)
                throw new UserInputException($"{source}: expected key=value with a non-negative integer value, got '{part}'");
            spec = kv[0].ToLowerInvariant() switch
            {
                "users" => spec with { Users = (int)value },
                "items" => spec with { Items = (int)value },
                "groups" => spec with { Groups = (int)value },
                "min-len" or "minlen" => spec with { MinLength = (int)value },
                "max-len" or "maxlen" => spec with { MaxLength = (int)value },
                "seed" => spec with { Seed = (ulong)value },
                _ => throw new UserInputException($"{source}: unknown key '{kv[0]}'; expected users, items, groups, min-len, max-len or seed"),
            };
        }
        return spec.Validated(source);
    }

    /// <summary>The canonical name of this spec, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}:users={Users},items={Items},groups={Groups},min-len={MinLength},max-len={MaxLength},seed={Seed}");

    private SyntheticSpec Validated(string source)
    {
        var problems = new List<string>();
        if (Users < 1) problems.Add($"users must be at least 1, got {Users}");
        if (Groups < 2) problems.Add($"groups must be at least 2, got {Groups}");
        if (Items < 2 * Groups) problems.Add($"items must be at least 2 per group ({2 * Groups}), got {Items}");
        if (MinLength < 3) problems.Add($"min-len must be at least 3 (leave-one-out needs 3 items), got {MinLength}");
        if (MaxLength < MinLength) problems.Add($"max-len must be at least min-len ({MinLength}), got {MaxLength}");
        return problems.Count == 0 ? this : throw new UserInputException($"{source}: {string.Join("; ", problems)}");
    }
}
