using System.Globalization;
using TorchSharp;

namespace Grela.Layers;

/// <summary>
/// The runtime shape check of one module call: binds free dims (B, L, ...) on first sight and
/// compares every other dim with its bound or computed value. Reads only tensor metadata, never
/// the data, so it does not synchronise the device.
/// </summary>
public sealed class ShapeGuard
{
    private readonly string path;
    private readonly IReadOnlyDictionary<string, long> hyper;
    private readonly Dictionary<string, long> all;
    private readonly List<string> freeOrder = [];

    /// <summary>A guard for one call of the module at <paramref name="path"/> whose int hyperparameters are <paramref name="hyperparameters"/>.</summary>
    public ShapeGuard(string path, IReadOnlyDictionary<string, long> hyperparameters)
    {
        this.path = path;
        hyper = hyperparameters;
        all = new Dictionary<string, long>(hyperparameters, StringComparer.Ordinal);
    }

    /// <summary>The free dims bound so far in this call, in binding order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Bindings => freeOrder.Select(n => new KeyValuePair<string, long>(n, all[n])).ToList();

    /// <summary>Checks <paramref name="tensor"/> (named <paramref name="parameter"/>) against <paramref name="pattern"/>.</summary>
    public void Check(string parameter, torch.Tensor tensor, ShapePattern pattern) => Check(parameter, tensor.shape, pattern);

    /// <summary>Checks a shape against <paramref name="pattern"/>; throws <see cref="ShapeMismatchException"/>.</summary>
    public void Check(string parameter, long[] shape, ShapePattern pattern)
    {
        var fixedCount = pattern.Dims.Count - (pattern.EllipsisIndex >= 0 ? 1 : 0);
        if (pattern.EllipsisIndex < 0 ? shape.Length != fixedCount : shape.Length < fixedCount)
        {
            var rank = pattern.EllipsisIndex < 0 ? fixedCount.ToString(CultureInfo.InvariantCulture) : "at least " + fixedCount.ToString(CultureInfo.InvariantCulture);
            throw Mismatch(parameter, shape, pattern, $" (expected rank {rank}, got {shape.Length.ToString(CultureInfo.InvariantCulture)})");
        }
        // Two passes so that "Dim/H Dh" style patterns work whichever dim binds the name first.
        // Indexing the pattern directly keeps a passing check free of allocations beyond the bindings.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < pattern.Dims.Count; i++)
            {
                if (pattern.Dims[i] is not DimPattern.Expr { Value: var expr }) continue;
                var actual = shape[pattern.EllipsisIndex >= 0 && i > pattern.EllipsisIndex ? shape.Length - (pattern.Dims.Count - i) : i];
                if (expr.Evaluate(all) is { } expected)
                {
                    if (expected != actual) throw Mismatch(parameter, shape, pattern, "");
                }
                else if (expr is DimExpr.Name n)
                {
                    all[n.Id] = actual;
                    freeOrder.Add(n.Id);
                }
            }
        }
    }

    private ShapeMismatchException Mismatch(string parameter, long[] shape, ShapePattern pattern, string detail)
    {
        var expected = string.Join(", ", pattern.Dims.Select(Render));
        var got = string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        var bound = freeOrder.Count == 0 ? "" : " (" + string.Join(", ", freeOrder.Select(n => n + "=" + all[n].ToString(CultureInfo.InvariantCulture))) + ")";
        return new ShapeMismatchException(path, parameter, $"{path}: {parameter} expected [{expected}], got [{got}]{bound}{detail}");
    }

    private string Render(DimPattern dim) => dim switch
    {
        DimPattern.Any => "_",
        DimPattern.Variadic v => v.Name is null ? "..." : "*" + v.Name,
        DimPattern.Expr { Value: DimExpr.Num n } => n.ToString(),
        DimPattern.Expr e when e.Value.Evaluate(hyper) is { } value => e.Value + "=" + value.ToString(CultureInfo.InvariantCulture),
        DimPattern.Expr e => e.Value.ToString(),
        _ => "?",
    };
}
