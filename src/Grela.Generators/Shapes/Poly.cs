using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Grela.Generators.Shapes
{
    /// <summary>
    /// A polynomial over dim symbols with rational coefficients, in normal form (monomials sorted,
    /// like terms merged, zero terms dropped), so that two dim expressions are equal exactly when
    /// their normal forms are: <c>Dim*4</c> equals <c>2*Dim+2*Dim</c> and never <c>Dim</c>, whatever
    /// Dim is. Division by a monomial multiplies by its inverse (<c>Dim/Heads</c>); division by a
    /// sum becomes an opaque symbol.
    /// </summary>
    internal sealed class Poly : IEquatable<Poly>
    {
        // monomial key ("" for the constant term) -> coefficient; a key is "name^exp*name^exp" sorted.
        private readonly SortedDictionary<string, Rational> terms;

        private Poly(SortedDictionary<string, Rational> terms) => this.terms = terms;

        public static Poly Constant(long value) => FromTerm("", new Rational(value, 1));

        public static Poly Symbol(string name) => FromTerm(Key(new SortedDictionary<string, int> { [name] = 1 }), Rational.One);

        public bool IsConstant => terms.Count == 0 || (terms.Count == 1 && terms.ContainsKey(""));

        public Rational? ConstantValue => IsConstant ? (terms.TryGetValue("", out var c) ? c : Rational.Zero) : (Rational?)null;

        public Poly Add(Poly other)
        {
            var sum = new SortedDictionary<string, Rational>(terms, StringComparer.Ordinal);
            foreach (var t in other.terms) sum[t.Key] = sum.TryGetValue(t.Key, out var c) ? c + t.Value : t.Value;
            return Normal(sum);
        }

        public Poly Negate() => Normal(new SortedDictionary<string, Rational>(terms.ToDictionary(t => t.Key, t => -t.Value), StringComparer.Ordinal));

        public Poly Subtract(Poly other) => Add(other.Negate());

        public Poly Multiply(Poly other)
        {
            var product = new SortedDictionary<string, Rational>(StringComparer.Ordinal);
            foreach (var a in terms)
            {
                foreach (var b in other.terms)
                {
                    var exps = Parse(a.Key);
                    foreach (var e in Parse(b.Key)) exps[e.Key] = (exps.TryGetValue(e.Key, out var x) ? x : 0) + e.Value;
                    var key = Key(exps);
                    var c = a.Value * b.Value;
                    product[key] = product.TryGetValue(key, out var old) ? old + c : c;
                }
            }
            return Normal(product);
        }

        public Poly Divide(Poly other)
        {
            if (other.terms.Count == 1)
            {
                var only = other.terms.First();
                if (only.Value.IsZero) return Symbol("(" + this + ")/0");
                var inverse = Parse(only.Key).ToDictionary(e => e.Key, e => -e.Value);
                return Multiply(FromTerm(Key(new SortedDictionary<string, int>(inverse, StringComparer.Ordinal)), only.Value.Inverse()));
            }
            return Symbol("(" + this + ")/(" + other + ")");
        }

        public bool Equals(Poly? other) =>
            other is not null && terms.Count == other.terms.Count
            && terms.All(t => other.terms.TryGetValue(t.Key, out var c) && c.Equals(t.Value));

        public override bool Equals(object? obj) => Equals(obj as Poly);

        public override int GetHashCode() => ToString().GetHashCode();

        /// <summary>Readable normal form: <c>4*Dim</c>, <c>Dim/Heads</c>, <c>Dim+1</c>, <c>0</c>.</summary>
        public override string ToString()
        {
            if (terms.Count == 0) return "0";
            var text = new StringBuilder();
            // Higher-degree terms first, the constant last, as people write them.
            foreach (var t in terms.OrderBy(t => t.Key.Length == 0 ? 1 : 0).ThenBy(t => t.Key, StringComparer.Ordinal))
            {
                var coefficient = t.Value;
                var negative = coefficient.IsNegative;
                if (text.Length > 0) text.Append(negative ? "-" : "+");
                else if (negative) text.Append('-');
                text.Append(Term(t.Key, negative ? -coefficient : coefficient));
            }
            return text.ToString();
        }

        private static string Term(string key, Rational coefficient)
        {
            if (key.Length == 0) return coefficient.ToString();
            var exps = Parse(key);
            var up = exps.Where(e => e.Value > 0).SelectMany(e => Enumerable.Repeat(e.Key, e.Value)).ToList();
            var down = exps.Where(e => e.Value < 0).SelectMany(e => Enumerable.Repeat(e.Key, -e.Value)).ToList();
            var numerator = string.Join("*", (coefficient.Numerator == 1 && up.Count > 0
                ? Enumerable.Empty<string>()
                : new[] { coefficient.Numerator.ToString(CultureInfo.InvariantCulture) }).Concat(up));
            if (coefficient.Denominator != 1) down.Insert(0, coefficient.Denominator.ToString(CultureInfo.InvariantCulture));
            return down.Count == 0 ? numerator : numerator + "/" + (down.Count == 1 ? down[0] : "(" + string.Join("*", down) + ")");
        }

        private static Poly FromTerm(string key, Rational coefficient) =>
            Normal(new SortedDictionary<string, Rational>(StringComparer.Ordinal) { [key] = coefficient });

        private static Poly Normal(SortedDictionary<string, Rational> terms)
        {
            foreach (var zero in terms.Where(t => t.Value.IsZero).Select(t => t.Key).ToList()) terms.Remove(zero);
            return new Poly(terms);
        }

        private static SortedDictionary<string, int> Parse(string key)
        {
            var exps = new SortedDictionary<string, int>(StringComparer.Ordinal);
            if (key.Length == 0) return exps;
            foreach (var factor in key.Split('*'))
            {
                var caret = factor.LastIndexOf('^');
                exps[factor.Substring(0, caret)] = int.Parse(factor.Substring(caret + 1), CultureInfo.InvariantCulture);
            }
            return exps;
        }

        private static string Key(IDictionary<string, int> exps) =>
            string.Join("*", exps.Where(e => e.Value != 0).OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => e.Key + "^" + e.Value.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>An exact fraction with a positive denominator, in lowest terms.</summary>
    internal readonly struct Rational : IEquatable<Rational>
    {
        public Rational(long numerator, long denominator)
        {
            if (denominator < 0) { numerator = -numerator; denominator = -denominator; }
            var g = Gcd(Math.Abs(numerator), denominator);
            Numerator = g == 0 ? 0 : numerator / g;
            Denominator = g == 0 ? 1 : denominator / g;
        }

        public static Rational Zero => new Rational(0, 1);
        public static Rational One => new Rational(1, 1);
        public long Numerator { get; }
        public long Denominator { get; }
        public bool IsZero => Numerator == 0;
        public bool IsNegative => Numerator < 0;
        public bool IsInteger => Denominator == 1;

        public Rational Inverse() => new Rational(Denominator, Numerator);

        public static Rational operator +(Rational a, Rational b) =>
            new Rational(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

        public static Rational operator *(Rational a, Rational b) => new Rational(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

        public static Rational operator -(Rational a) => new Rational(-a.Numerator, a.Denominator);

        public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

        public override bool Equals(object? obj) => obj is Rational r && Equals(r);

        public override int GetHashCode() => unchecked((int)(Numerator * 397 ^ Denominator));

        public override string ToString() =>
            Denominator == 1
                ? Numerator.ToString(CultureInfo.InvariantCulture)
                : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);

        private static long Gcd(long a, long b)
        {
            while (b != 0) { var t = a % b; a = b; b = t; }
            return a;
        }
    }
}
