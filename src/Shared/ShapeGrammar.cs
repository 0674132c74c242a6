using System.Collections.Generic;
using System.Globalization;
using System.Linq;

// One parser of the shape grammar, compiled into both the generator (netstandard2.0) and Grela.Core
// (linked source, internal in each), so a pattern the build accepts is one the runtime guards accept.
namespace Grela.Shapes.Grammar
{
    /// <summary>Arithmetic over dim names and integers, as written in a shape pattern.</summary>
    internal abstract class DimNode
    {
        public sealed class Num : DimNode
        {
            public Num(long value) => Value = value;
            public long Value { get; }
        }

        public sealed class Name : DimNode
        {
            public Name(string id) => Id = id;
            public string Id { get; }
        }

        public sealed class Binary : DimNode
        {
            public Binary(char op, DimNode left, DimNode right) { Op = op; Left = left; Right = right; }
            public char Op { get; }
            public DimNode Left { get; }
            public DimNode Right { get; }
        }

        public IEnumerable<string> Names() => this switch
        {
            Name n => new[] { n.Id },
            Binary b => b.Left.Names().Concat(b.Right.Names()),
            _ => Enumerable.Empty<string>(),
        };
    }

    /// <summary>One entry of a pattern: an expression, <c>_</c>, or the variadic <c>...</c>/<c>*name</c>.</summary>
    internal sealed class PatternDim
    {
        private PatternDim(DimNode? expr, bool isVariadic, string? variadicName = null)
        {
            Expr = expr;
            IsVariadic = isVariadic;
            VariadicName = variadicName;
        }

        public DimNode? Expr { get; }
        public bool IsVariadic { get; }

        /// <summary>The name of <c>*name</c>; null for <c>...</c>.</summary>
        public string? VariadicName { get; }

        public bool IsAny => Expr is null && !IsVariadic;
        public static PatternDim Of(DimNode expr) => new PatternDim(expr, false);
        public static readonly PatternDim Any = new PatternDim(null, false);
        public static readonly PatternDim Variadic = new PatternDim(null, true);
        public static PatternDim NamedVariadic(string name) => new PatternDim(null, true, name);
    }

    /// <summary>A parsed shape pattern (same grammar as Grela.Layers.ShapePattern at run time).</summary>
    internal sealed class ParsedPattern
    {
        public ParsedPattern(IReadOnlyList<PatternDim> dims) => Dims = dims;
        public IReadOnlyList<PatternDim> Dims { get; }
        public bool HasVariadic => Dims.Any(d => d.IsVariadic);
        public IEnumerable<string> Names() => Dims.Where(d => d.Expr is not null).SelectMany(d => d.Expr!.Names()).Distinct();
    }

    internal static class PatternParser
    {
        public static bool TryParse(string text, out ParsedPattern? pattern, out string? error)
        {
            pattern = null;
            error = null;
            var dims = new List<PatternDim>();
            foreach (var token in text.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries))
            {
                PatternDim dim;
                if (token == "...") dim = PatternDim.Variadic;
                else if (token.Length > 1 && token[0] == '*' && IsIdentifier(token.Substring(1))) dim = PatternDim.NamedVariadic(token.Substring(1));
                else if (token == "_") dim = PatternDim.Any;
                else
                {
                    var reader = new Reader(token);
                    var node = reader.Sum();
                    if (node is null || reader.Pos != token.Length)
                    {
                        error = "cannot read dim '" + token + "' (expected a name, an integer or arithmetic like Dim*4 without spaces)";
                        return false;
                    }
                    dim = PatternDim.Of(node);
                }
                if (dim.IsVariadic && dims.Any(d => d.IsVariadic))
                {
                    error = "more than one '...'";
                    return false;
                }
                dims.Add(dim);
            }
            pattern = new ParsedPattern(dims);
            return true;
        }

        public static ParsedPattern? Parse(string? text) => text is not null && TryParse(text, out var p, out _) ? p : null;

        private static bool IsIdentifier(string s) =>
            s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');

        private sealed class Reader
        {
            private readonly string text;
            public Reader(string text) => this.text = text;
            public int Pos { get; private set; }

            public DimNode? Sum()
            {
                var left = Product();
                while (left is not null && Pos < text.Length && (text[Pos] == '+' || text[Pos] == '-'))
                {
                    var op = text[Pos++];
                    var right = Product();
                    left = right is null ? null : new DimNode.Binary(op, left, right);
                }
                return left;
            }

            private DimNode? Product()
            {
                var left = Atom();
                while (left is not null && Pos < text.Length && (text[Pos] == '*' || text[Pos] == '/'))
                {
                    var op = text[Pos++];
                    var right = Atom();
                    left = right is null ? null : new DimNode.Binary(op, left, right);
                }
                return left;
            }

            private DimNode? Atom()
            {
                if (Pos >= text.Length) return null;
                if (text[Pos] == '(')
                {
                    Pos++;
                    var inner = Sum();
                    if (inner is null || Pos >= text.Length || text[Pos] != ')') return null;
                    Pos++;
                    return inner;
                }
                var start = Pos;
                if (char.IsDigit(text[Pos]))
                {
                    while (Pos < text.Length && char.IsDigit(text[Pos])) Pos++;
                    return long.TryParse(text.Substring(start, Pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? new DimNode.Num(v) : null;
                }
                while (Pos < text.Length && (char.IsLetterOrDigit(text[Pos]) || text[Pos] == '_')) Pos++;
                return Pos == start ? null : new DimNode.Name(text.Substring(start, Pos - start));
            }
        }
    }
}
