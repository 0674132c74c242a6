using System.Globalization;

namespace Grela.Evaluation;

/// <summary>One metric at one cut-off, e.g. NDCG@10.</summary>
public sealed record MetricValue(string Metric, int K, double Value)
{
    /// <summary>"NDCG@10".</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Metric}@{K}");
}

/// <summary>Mean metrics over <see cref="Users"/> evaluated users, in the order HR, NDCG, MRR by K.</summary>
public sealed record MetricReport(int Users, IReadOnlyList<MetricValue> Values)
{
    /// <summary>The value named like "NDCG@10".</summary>
    public double this[string name] =>
        Values.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value
        ?? throw new KeyNotFoundException($"no metric '{name}'; expected one of {string.Join(", ", Values.Select(v => v.Name))}");

    /// <summary>Name to value, in report order (for JSON).</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var result = new Dictionary<string, double>();
        foreach (var v in Values) result[v.Name] = v.Value;
        return result;
    }

    /// <summary>Value equality over the metric values, not the list reference.</summary>
    public bool Equals(MetricReport? other) => other is not null && Users == other.Users && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => Values.Aggregate(Users, (h, v) => HashCode.Combine(h, v));
}
