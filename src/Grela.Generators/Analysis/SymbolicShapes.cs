using System.Collections.Generic;
using System.Linq;
using Grela.Generators.Model;
using Grela.Generators.Shapes;
using Grela.Shapes.Grammar;

namespace Grela.Generators.Analysis
{
    /// <summary>Where a dim came from: a declaration in the record (a sublayer's construction argument or a [Shape]).</summary>
    internal sealed class DimOrigin
    {
        public DimOrigin(LocationInfo location, string description, bool isConstructionArgument)
        {
            Location = location;
            Description = description;
            IsConstructionArgument = isConstructionArgument;
        }

        public LocationInfo Location { get; }
        public string Description { get; }
        public bool IsConstructionArgument { get; }

        public override string ToString() => Description + ", " + Location.LineText;
    }

    /// <summary>A symbolic dim: its normal form (null when unknown), how to show it, and its origin.</summary>
    internal sealed class SymDim
    {
        public SymDim(Poly? value, string text, DimOrigin? origin)
        {
            Value = value;
            Text = text;
            Origin = origin;
        }

        public Poly? Value { get; }
        public string Text { get; }
        public DimOrigin? Origin { get; }
        public bool IsOne => Value?.ConstantValue is { } c && c.Equals(Rational.One);

        public static SymDim Unknown(string text) => new SymDim(null, text, null);

        public string Describe() => Origin is null ? Text : Text + " (" + Origin + ")";
    }

    /// <summary>An entry of a symbolic shape: a dim, or an unknown run of dims.</summary>
    internal sealed class ShapeItem
    {
        private ShapeItem(SymDim? dim) => Dim = dim;
        public SymDim? Dim { get; }
        public bool IsRest => Dim is null;
        public static readonly ShapeItem Rest = new ShapeItem(null);
        public static ShapeItem Of(SymDim dim) => new ShapeItem(dim);
    }

    /// <summary>A tensor's shape as far as the analysis knows it (at most one unknown run).</summary>
    internal sealed class SymShape
    {
        public SymShape(IReadOnlyList<ShapeItem> items) => Items = items;
        public IReadOnlyList<ShapeItem> Items { get; }
        public int RestIndex => Items.ToList().FindIndex(i => i.IsRest);
        public override string ToString() => "[" + string.Join(", ", Items.Select(i => i.IsRest ? "..." : i.Dim!.Text)) + "]";

        public bool SameAs(SymShape other) =>
            Items.Count == other.Items.Count
            && Items.Zip(other.Items, (a, b) => a.IsRest == b.IsRest && (a.IsRest || (a.Dim!.Value is { } x && b.Dim!.Value is { } y && x.Equals(y)))).All(e => e);
    }

    /// <summary>A dim of a pattern that disagrees with the dim it met.</summary>
    internal sealed class DimConflict
    {
        public DimConflict(SymDim expected, SymDim actual) { Expected = expected; Actual = actual; }
        public SymDim Expected { get; }
        public SymDim Actual { get; }
    }

    /// <summary>
    /// A tensor of the wrong rank: the rank a pattern asks for ("3", or "at least 3" with a variadic)
    /// and the rank the tensor has ("2", or "at least 2" when its shape has an unknown run of dims).
    /// </summary>
    internal sealed class RankMismatch
    {
        public RankMismatch(string expected, string actual) { Expected = expected; Actual = actual; }
        public string Expected { get; }
        public string Actual { get; }

        public static string Exactly(int rank) => rank.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static string AtLeast(int rank) => "at least " + Exactly(rank);
    }

    /// <summary>The outcome of matching a tensor against a pattern.</summary>
    internal sealed class MatchResult
    {
        public RankMismatch? RankError { get; set; }
        public List<DimConflict> Conflicts { get; } = new List<DimConflict>();
        public Dictionary<string, SymDim> Bindings { get; } = new Dictionary<string, SymDim>();
        public List<ShapeItem>? Captured { get; set; }
        public string ExpectedText { get; set; } = "";
    }

    /// <summary>
    /// Matching of symbolic shapes against patterns of a callee whose hyperparameters are given by
    /// its construction arguments; free names (B, L, ...) bind per call as at run time.
    /// </summary>
    internal static class ShapeAlgebra
    {
        /// <summary>A caller's own pattern as a shape: every name is a rigid symbol, every dim has the [Shape] origin.</summary>
        public static SymShape FromOwnPattern(ParsedPattern pattern, DimOrigin origin) =>
            new SymShape(pattern.Dims.Select(d =>
                d.IsVariadic || d.IsAny
                    ? (d.IsVariadic ? ShapeItem.Rest : ShapeItem.Of(SymDim.Unknown("_")))
                    : ShapeItem.Of(Evaluate(d.Expr!, n => new SymDim(Poly.Symbol(n), n, origin), new Dictionary<string, SymDim>())!)).ToList());

        public static MatchResult Match(ParsedPattern pattern, SymShape actual, IReadOnlyDictionary<string, SymDim> hyper, IDictionary<string, SymDim>? bindings = null)
        {
            var result = new MatchResult();
            if (bindings is not null) foreach (var b in bindings) result.Bindings[b.Key] = b.Value;
            var p = pattern.Dims;
            var v = p.ToList().FindIndex(d => d.IsVariadic);
            var r = actual.RestIndex;
            var items = actual.Items;
            var pairs = new List<(PatternDim Pattern, SymDim Actual)>();
            List<ShapeItem>? captured = null;
            if (v < 0 && r < 0)
            {
                if (p.Count != items.Count) result.RankError = new RankMismatch(RankMismatch.Exactly(p.Count), RankMismatch.Exactly(items.Count));
                else for (var i = 0; i < p.Count; i++) pairs.Add((p[i], items[i].Dim!));
            }
            else if (v < 0)
            {
                var a = items.Take(r).ToList();
                var b = items.Skip(r + 1).ToList();
                if (a.Count + b.Count > p.Count) result.RankError = new RankMismatch(RankMismatch.Exactly(p.Count), RankMismatch.AtLeast(a.Count + b.Count));
                else
                {
                    for (var i = 0; i < a.Count; i++) pairs.Add((p[i], a[i].Dim!));
                    for (var i = 0; i < b.Count; i++) pairs.Add((p[p.Count - b.Count + i], b[i].Dim!));
                }
            }
            else
            {
                var p1 = p.Take(v).ToList();
                var p2 = p.Skip(v + 1).ToList();
                if (r < 0)
                {
                    if (items.Count < p1.Count + p2.Count) result.RankError = new RankMismatch(RankMismatch.AtLeast(p1.Count + p2.Count), RankMismatch.Exactly(items.Count));
                    else
                    {
                        for (var i = 0; i < p1.Count; i++) pairs.Add((p1[i], items[i].Dim!));
                        for (var i = 0; i < p2.Count; i++) pairs.Add((p2[i], items[items.Count - p2.Count + i].Dim!));
                        captured = items.Skip(p1.Count).Take(items.Count - p1.Count - p2.Count).ToList();
                    }
                }
                else
                {
                    var a = items.Take(r).ToList();
                    var b = items.Skip(r + 1).ToList();
                    for (var i = 0; i < System.Math.Min(p1.Count, a.Count); i++) pairs.Add((p1[i], a[i].Dim!));
                    for (var i = 0; i < System.Math.Min(p2.Count, b.Count); i++) pairs.Add((p2[p2.Count - 1 - i], b[b.Count - 1 - i].Dim!));
                    captured = a.Count >= p1.Count && b.Count >= p2.Count
                        ? a.Skip(p1.Count).Concat(new[] { ShapeItem.Rest }).Concat(b.Take(b.Count - p2.Count)).ToList()
                        : new List<ShapeItem> { ShapeItem.Rest };
                }
            }
            result.Captured = captured;
            var reported = new HashSet<PatternDim>();
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var (dim, act) in pairs)
                {
                    if (dim.Expr is null) continue;
                    var expected = Evaluate(dim.Expr, n => hyper.TryGetValue(n, out var h) ? h : null, result.Bindings);
                    if (expected is null)
                    {
                        if (dim.Expr is DimNode.Name name) result.Bindings[name.Id] = act;
                        continue;
                    }
                    if (expected.Value is { } e && act.Value is { } x && !e.Equals(x) && reported.Add(dim))
                    {
                        result.Conflicts.Add(new DimConflict(expected, act));
                    }
                }
            }
            result.ExpectedText = "[" + string.Join(", ", p.Select(d => Render(d, hyper, result.Bindings))) + "]";
            return result;
        }

        /// <summary>The shape a pattern describes after a match (callee output).</summary>
        public static SymShape Instantiate(ParsedPattern pattern, IReadOnlyDictionary<string, SymDim> hyper, MatchResult match)
        {
            var items = new List<ShapeItem>();
            foreach (var d in pattern.Dims)
            {
                if (d.IsVariadic)
                {
                    items.AddRange(match.Captured ?? new List<ShapeItem> { ShapeItem.Rest });
                }
                else if (d.IsAny)
                {
                    items.Add(ShapeItem.Of(SymDim.Unknown("_")));
                }
                else
                {
                    var value = Evaluate(d.Expr!, n => hyper.TryGetValue(n, out var h) ? h : null, match.Bindings);
                    items.Add(ShapeItem.Of(value ?? SymDim.Unknown(string.Join("", d.Expr!.Names()))));
                }
            }
            // Two unknown runs cannot be told apart: keep the first and drop the rest's neighbours' order.
            var firstRest = items.FindIndex(i => i.IsRest);
            if (firstRest >= 0) items = items.Where((i, k) => !i.IsRest || k == firstRest).ToList();
            return new SymShape(items);
        }

        /// <summary>
        /// Value of a pattern expression: null when it names a free dim not bound yet; a dim with a
        /// null value when some part is unknown.
        /// </summary>
        public static SymDim? Evaluate(DimNode node, System.Func<string, SymDim?> hyper, IReadOnlyDictionary<string, SymDim> bindings)
        {
            switch (node)
            {
                case DimNode.Num n:
                    return new SymDim(Poly.Constant(n.Value), n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                case DimNode.Name n:
                    return hyper(n.Id) ?? (bindings.TryGetValue(n.Id, out var bound) ? bound : null);
                case DimNode.Binary b:
                    var left = Evaluate(b.Left, hyper, bindings);
                    var right = Evaluate(b.Right, hyper, bindings);
                    if (left is null || right is null) return null;
                    var origin = left.Origin is { IsConstructionArgument: true } ? left.Origin : right.Origin ?? left.Origin;
                    if (left.Value is null || right.Value is null) return new SymDim(null, left.Text + b.Op + right.Text, origin);
                    var value = Combine(b.Op, left.Value, right.Value);
                    return new SymDim(value, value.ToString(), origin);
                default:
                    return null;
            }
        }

        public static Poly Combine(char op, Poly left, Poly right) => op switch
        {
            '+' => left.Add(right),
            '-' => left.Subtract(right),
            '*' => left.Multiply(right),
            _ => left.Divide(right),
        };

        /// <summary>Element-wise broadcasting: conflicts (neither dim is 1 and they differ) and the result shape.</summary>
        public static (List<DimConflict> Conflicts, SymShape Result) Broadcast(SymShape left, SymShape right)
        {
            var conflicts = new List<DimConflict>();
            var l = left.Items;
            var r = right.Items;
            var result = new List<ShapeItem>();
            int i = l.Count - 1, j = r.Count - 1;
            for (; i >= 0 && j >= 0 && !l[i].IsRest && !r[j].IsRest; i--, j--)
            {
                var a = l[i].Dim!;
                var b = r[j].Dim!;
                if (a.Value is { } x && b.Value is { } y && !x.Equals(y) && !a.IsOne && !b.IsOne) conflicts.Add(new DimConflict(a, b));
                result.Insert(0, ShapeItem.Of(a.IsOne ? b : (b.IsOne || a.Value is not null ? a : b)));
            }
            if (i >= 0 && j >= 0) result.Insert(0, ShapeItem.Rest);
            else if (i >= 0) result.InsertRange(0, l.Take(i + 1));
            else if (j >= 0) result.InsertRange(0, r.Take(j + 1));
            return (conflicts, new SymShape(result));
        }

        private static string Render(PatternDim d, IReadOnlyDictionary<string, SymDim> hyper, IReadOnlyDictionary<string, SymDim> bindings)
        {
            if (d.IsVariadic) return "...";
            if (d.IsAny) return "_";
            var value = Evaluate(d.Expr!, n => hyper.TryGetValue(n, out var h) ? h : null, bindings);
            return value?.Text ?? string.Join("", d.Expr!.Names());
        }
    }
}
