using System.Globalization;

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
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dims = new List<DimPattern>(tokens.Length);
        var ellipsis = -1;
        foreach (var token in tokens)
        {
            DimPattern dim;
            if (token == "...") dim = new DimPattern.Variadic(null);
            else if (token.StartsWith('*') && token.Length > 1 && IsIdentifier(token[1..])) dim = new DimPattern.Variadic(token[1..]);
            else if (token == "_") dim = new DimPattern.Any();
            else dim = new DimPattern.Expr(new DimExprParser(token, text).ParseAll());
            if (dim is DimPattern.Variadic)
            {
                if (ellipsis >= 0) throw new FormatException($"shape \"{text}\": more than one '...'");
                ellipsis = dims.Count;
            }
            dims.Add(dim);
        }
        return new ShapePattern(text, dims, ellipsis);
    }

    internal static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

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

internal sealed class DimExprParser(string token, string pattern)
{
    private int pos;

    public DimExpr ParseAll()
    {
        var e = Sum();
        if (pos != token.Length) throw Error();
        return e;
    }

    private DimExpr Sum()
    {
        var e = Product();
        while (pos < token.Length && token[pos] is '+' or '-')
        {
            var op = token[pos++];
            e = new DimExpr.Binary(op, e, Product());
        }
        return e;
    }

    private DimExpr Product()
    {
        var e = Atom();
        while (pos < token.Length && token[pos] is '*' or '/')
        {
            var op = token[pos++];
            e = new DimExpr.Binary(op, e, Atom());
        }
        return e;
    }

    private DimExpr Atom()
    {
        if (pos >= token.Length) throw Error();
        if (token[pos] == '(')
        {
            pos++;
            var e = Sum();
            if (pos >= token.Length || token[pos] != ')') throw Error();
            pos++;
            return e;
        }
        var start = pos;
        if (char.IsDigit(token[pos]))
        {
            while (pos < token.Length && char.IsDigit(token[pos])) pos++;
            return new DimExpr.Num(long.Parse(token[start..pos], CultureInfo.InvariantCulture));
        }
        while (pos < token.Length && (char.IsLetterOrDigit(token[pos]) || token[pos] == '_')) pos++;
        if (pos == start || char.IsDigit(token[start])) throw Error();
        return new DimExpr.Name(token[start..pos]);
    }

    private FormatException Error() =>
        new($"shape \"{pattern}\": cannot read dim \"{token}\" (expected a name, an integer or arithmetic like Dim*4)");
}
