using System.Globalization;
using Grela.Shapes.Grammar;

namespace Grela.Layers;

/// <summary>
/// A parsed named-dimension pattern such as <c>"B L Dim*4"</c> or <c>"... Dim/Heads"</c>:
/// space-separated dims, each an identifier, an integer, arithmetic (<c>+ - * /</c>, parentheses)
/// without spaces, <c>_</c> (any one dim) or <c>...</c> / <c>*name</c> (any number of dims, at most once).
/// </summary>
public sealed class ShapePattern
{
    private ShapePattern(string text, IReadOnlyList<DimPattern> dims, int ellipsis)
    {
        Text = text;
        Dims = dims;
        EllipsisIndex = ellipsis;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The dims, the ellipsis (if any) included as a <see cref="DimPattern.Variadic"/> entry.</summary>
    public IReadOnlyList<DimPattern> Dims { get; }

    /// <summary>Index of the variadic entry in <see cref="Dims"/>, or -1.</summary>
    public int EllipsisIndex { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the bad token.</summary>
    public static ShapePattern Parse(string text)
    {
        if (!PatternParser.TryParse(text, out var parsed, out var error)) throw new FormatException($"shape \"{text}\": {error}");
        var dims = parsed!.Dims.Select(ToDim).ToList();
        return new ShapePattern(text, dims, dims.FindIndex(d => d is DimPattern.Variadic));
    }

    private static DimPattern ToDim(PatternDim dim) =>
        dim.IsVariadic ? new DimPattern.Variadic(dim.VariadicName)
        : dim.IsAny ? new DimPattern.Any()
        : new DimPattern.Expr(ToExpr(dim.Expr!));

    private static DimExpr ToExpr(DimNode node) => node switch
    {
        DimNode.Num n => new DimExpr.Num(n.Value),
        DimNode.Name n => new DimExpr.Name(n.Id),
        DimNode.Binary b => new DimExpr.Binary(b.Op, ToExpr(b.Left), ToExpr(b.Right)),
        _ => throw new InvalidOperationException("unknown dim node " + node.GetType().Name),
    };

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>One entry of a <see cref="ShapePattern"/>.</summary>
public abstract record DimPattern
{
    private DimPattern() { }

    /// <summary>A dim given by an expression over names and integers.</summary>
    public sealed record Expr(DimExpr Value) : DimPattern;

    /// <summary><c>_</c>: any single dim.</summary>
    public sealed record Any : DimPattern;

    /// <summary><c>...</c> or <c>*name</c>: any number of dims.</summary>
    public sealed record Variadic(string? Name) : DimPattern;
}

/// <summary>Arithmetic over dim names and integers.</summary>
public abstract record DimExpr
{
    private DimExpr() { }

    /// <summary>An integer literal.</summary>
    public sealed record Num(long Value) : DimExpr
    {
        /// <inheritdoc/>
        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A dim name (a hyperparameter of the layer or a free per-call dim).</summary>
    public sealed record Name(string Id) : DimExpr
    {
        /// <inheritdoc/>
        public override string ToString() => Id;
    }

    /// <summary>A binary operation: <c>+ - * /</c>.</summary>
    public sealed record Binary(char Op, DimExpr Left, DimExpr Right) : DimExpr
    {
        /// <inheritdoc/>
        public override string ToString() => Wrap(Left, false) + Op + Wrap(Right, true);

        private string Wrap(DimExpr e, bool right) =>
            e is Binary b && (Prec(b.Op) < Prec(Op) || (right && Prec(b.Op) == Prec(Op))) ? "(" + e + ")" : e.ToString();

        private static int Prec(char op) => op is '*' or '/' ? 2 : 1;
    }

    /// <summary>The value under <paramref name="bindings"/>, or null if a name is unbound or a division is inexact.</summary>
    public long? Evaluate(IReadOnlyDictionary<string, long> bindings) => this switch
    {
        Num n => n.Value,
        Name v => bindings.TryGetValue(v.Id, out var x) ? x : null,
        Binary b when b.Left.Evaluate(bindings) is { } l && b.Right.Evaluate(bindings) is { } r => b.Op switch
        {
            '+' => l + r,
            '-' => l - r,
            '*' => l * r,
            _ => r != 0 && l % r == 0 ? l / r : null,
        },
        _ => null,
    };
}
