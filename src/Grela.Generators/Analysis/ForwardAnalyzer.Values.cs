using System.Collections.Generic;
using System.Linq;
using Grela.Generators.Model;
using Grela.Generators.Parsing;
using Grela.Generators.Shapes;
using Grela.Shapes.Grammar;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Analysis
{
    /// <summary>
    /// Ints and lists in a Forward body: widths (<c>Dim</c>, <c>x.shape[1]</c>, <c>2</c>) read as
    /// dims, shapes and view sizes as lists, and the argument lists of tensor calls.
    /// </summary>
    internal sealed partial class ForwardAnalyzer
    {
        /// <summary>An argument of a call: its name (when written <c>dim: -1</c>), value and syntax.</summary>
        private sealed class Arg
        {
            public Arg(string? name, Value? value, ArgumentSyntax syntax) { Name = name; Value = value; Syntax = syntax; }
            public string? Name { get; }
            public Value? Value { get; }
            public ArgumentSyntax Syntax { get; }
        }

        private List<Arg> Arguments(SeparatedSyntaxList<ArgumentSyntax> args, Env env) =>
            args.Select(a => new Arg(a.NameColon?.Name.Identifier.ValueText, Eval(a.Expression, env), a)).ToList();

        /// <summary>The argument at this position, or the one written with this name.</summary>
        private static Value? ArgAt(IReadOnlyList<Arg> args, int position, string name, Value? fallback = null)
        {
            var named = args.FirstOrDefault(a => a.Name == name);
            if (named is not null) return named.Value;
            return position < args.Count && args[position].Name is null ? args[position].Value : fallback;
        }

        /// <summary>An int expression of the record's widths (a literal, a hyperparameter, a computed property, a const).</summary>
        private Value Number(ExpressionSyntax expression)
        {
            var poly = DimExpressions.ToPoly(expression, ModelFor(expression), dims, cancellation);
            return poly is null ? Scalar : new ScalarValue(new SymDim(poly, poly.ToString(), null));
        }

        private static Value Constant(long value) => new ScalarValue(new SymDim(Poly.Constant(value), value.ToString(System.Globalization.CultureInfo.InvariantCulture), null));

        private static long? IntOf(Value? value) =>
            value is ScalarValue { Dim.Value.ConstantValue: { IsInteger: true } c } ? c.Numerator : (long?)null;

        private static SymDim DimOf(Value? value) => value is ScalarValue { Dim: { } d } ? d : SymDim.Unknown("?");

        /// <summary><c>x.shape</c>: a list of its dims when its rank is known.</summary>
        private static Value? ShapeList(SymShape? shape) =>
            shape is null || shape.RestIndex >= 0 ? null
            : new ListValue(shape.Items.Select(i => (Value?)new ScalarValue(i.Dim)).ToList());

        private Value? ListOf(IEnumerable<ExpressionSyntax> items, Env env) => new ListValue(items.Select(e => Eval(e, env)).ToList());

        /// <summary><c>[.. u.shape[..^1], 2, Dim]</c>: known only when every spread is a list of known length.</summary>
        private Value? Collection(SeparatedSyntaxList<CollectionElementSyntax> elements, Env env)
        {
            var items = new List<Value?>();
            var known = true;
            foreach (var element in elements)
            {
                switch (element)
                {
                    case ExpressionElementSyntax e:
                        items.Add(Eval(e.Expression, env));
                        break;
                    case SpreadElementSyntax spread when Eval(spread.Expression, env) is ListValue list:
                        items.AddRange(list.Items);
                        break;
                    default:
                        known = false;
                        break;
                }
            }
            return known ? new ListValue(items) : null;
        }

        private Value? ElementAccess(ElementAccessExpressionSyntax access, Env env)
        {
            var target = Eval(access.Expression, env);
            var arguments = access.ArgumentList.Arguments;
            if (target is ListValue list && arguments.Count == 1)
            {
                if (arguments[0].Expression is RangeExpressionSyntax range) return Slice(list, range, env);
                var index = Index(arguments[0].Expression, list.Items.Count, env);
                return index is { } i ? list.Items[i] : null;
            }
            foreach (var a in arguments) Eval(a.Expression, env);
            if (target is SubValue { IsWholeList: true } subs) return new SubValue(subs.Sub, false);
            if (target is TensorValue tensor) return StopsHere(access, "indexer", tensor);
            return null;
        }

        /// <summary>A constant index into a list of this length: <c>1</c> or <c>^1</c>.</summary>
        private int? Index(ExpressionSyntax expression, int count, Env env)
        {
            var fromEnd = expression is PrefixUnaryExpressionSyntax u && u.IsKind(SyntaxKind.IndexExpression);
            var value = IntOf(Eval(fromEnd ? ((PrefixUnaryExpressionSyntax)expression).Operand : expression, env));
            if (value is null) return null;
            var index = fromEnd ? count - value.Value : value.Value;
            return index >= 0 && index < count ? (int)index : (int?)null;
        }

        private Value? Slice(ListValue list, RangeExpressionSyntax range, Env env)
        {
            var count = list.Items.Count;
            int? Bound(ExpressionSyntax? e, int otherwise)
            {
                if (e is null) return otherwise;
                var fromEnd = e is PrefixUnaryExpressionSyntax u && u.IsKind(SyntaxKind.IndexExpression);
                var value = IntOf(Eval(fromEnd ? ((PrefixUnaryExpressionSyntax)e).Operand : e, env));
                return value is null ? null : (int?)(fromEnd ? count - value.Value : value.Value);
            }
            var start = Bound(range.LeftOperand, 0);
            var end = Bound(range.RightOperand, count);
            if (start is not { } s || end is not { } e2 || s < 0 || e2 > count || s > e2) return null;
            return new ListValue(list.Items.Skip(s).Take(e2 - s).ToList());
        }

        /// <summary>
        /// A known shape went into something the analysis does not follow: reported by the opt-in
        /// GRELA017 so a contributor can see where compile-time checking stops.
        /// </summary>
        private Value StopsHere(SyntaxNode node, string what, TensorValue input)
        {
            if (input.Shape is { } shape && LocationInfo.From(node) is { } where
                && reported.Add(Diagnostics.DiagnosticDescriptors.ShapeUnknown.Id + "|" + where.Span))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.ShapeUnknown, where, what, shape.ToString()));
            }
            return UnknownTensor;
        }

        /// <summary><c>add_</c> reads like <c>add</c>: an in-place op has the shape of its out-of-place twin.</summary>
        private static string InPlaceBase(string method) =>
            method.Length > 1 && method.EndsWith("_", System.StringComparison.Ordinal) ? method.Substring(0, method.Length - 1) : method;

        // ---- functions with [Shape] signatures (Grela.Ops) ----------------------------------------------------------

        /// <summary>A static method outside the record whose parameters or result carry [Shape] (a tensor function in Ops).</summary>
        private IMethodSymbol? ShapedFunction(InvocationExpressionSyntax call)
        {
            var info = ModelFor(call).GetSymbolInfo(call, cancellation);
            // The generated Module type does not exist yet, so arguments read from m.X have error types
            // and overload resolution fails; a single candidate is still the method meant.
            var method = info.Symbol as IMethodSymbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] as IMethodSymbol : null);
            if (method is null || !method.IsStatic || SymbolEqualityComparer.Default.Equals(method.ContainingType, layerType)) return null;
            var shaped = method.ReturnAttribute(KnownNames.ShapeAttribute) is not null
                         || method.Parameters.Any(p => p.Attribute(KnownNames.ShapeAttribute) is not null);
            return shaped ? method : null;
        }

        /// <summary>A method of a sublayer's record with a [Shape] on its result or a parameter (<c>m.Rope.TableFor(n)</c>, forwarded by the module, or <c>m.Rope.Spec.TableFor(m.Rope, n)</c>).</summary>
        private static IMethodSymbol? SpecMethod(SubLayerInfo sub, string name)
        {
            var candidates = sub.LayerType.GetMembers(name).OfType<IMethodSymbol>()
                .Where(m => m.ReturnAttribute(KnownNames.ShapeAttribute) is not null || m.Parameters.Any(p => p.Attribute(KnownNames.ShapeAttribute) is not null))
                .ToList();
            return candidates.Count == 1 ? candidates[0] : null;
        }

        /// <summary>
        /// A [Shape] pattern of a called function (an Ops function or a sublayer record's method; it may
        /// be in another assembly): one that does not parse is GRELA011 at the call, and the call is
        /// then not checked against it (it is not a free pattern).
        /// </summary>
        private ParsedPattern? CalleePattern(string? text, InvocationExpressionSyntax call)
        {
            if (text is null) return null;
            if (PatternParser.TryParse(text, out var parsed, out var error)) return parsed;
            var where = LocationInfo.From(call)!;
            if (reported.Add(Diagnostics.DiagnosticDescriptors.InvalidShape.Id + "|" + where.Span + "|" + text))
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.InvalidShape, where, text, error!));
            return null;
        }

        /// <summary>
        /// A call into a function with [Shape] parameters is a composition step like a sublayer call:
        /// each tensor argument is matched against its pattern, names bind per call, int parameters of
        /// the function stand for their arguments, and the result is the return pattern.
        /// </summary>
        private Value? ShapedCall(InvocationExpressionSyntax call, IMethodSymbol method, IReadOnlyList<Arg> args,
            IReadOnlyDictionary<string, SymDim>? fixedDims = null, string? who = null)
        {
            var hyper = fixedDims is null ? new Dictionary<string, SymDim>() : new Dictionary<string, SymDim>(fixedDims.ToDictionary(d => d.Key, d => d.Value));
            List<ShapeItem>? captured = null;
            for (var i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                if (p.Type.IsDimType() && ArgAt(args, i, p.Name) is ScalarValue { Dim: { } d }) hyper[p.Name] = d;
            }
            var bindings = new Dictionary<string, SymDim>();
            who ??= "'" + method.ContainingType.Name + "." + method.Name + "'";
            for (var i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                var pattern = CalleePattern(p.Attribute(KnownNames.ShapeAttribute)?.StringArgument(), call);
                if (pattern is null || ArgAt(args, i, p.Name) is not TensorValue { Shape: { } shape }) continue;
                var syntax = args.FirstOrDefault(a => a.Name == p.Name)?.Syntax ?? args[i].Syntax;
                var match = CheckArgument(who + " " + p.Name, pattern, shape, hyper, bindings, LocationInfo.From(syntax.Expression)!);
                foreach (var b in match.Bindings) bindings[b.Key] = b.Value;
                // The first variadic run met is what a variadic result carries (x's leading dims).
                captured ??= match.Captured;
            }
            var returns = CalleePattern(method.ReturnAttribute(KnownNames.ShapeAttribute)?.StringArgument(), call);
            if (returns is null) return method.ReturnType.IsTensor() ? UnknownTensor : null;
            var result = new MatchResult { Captured = captured };
            foreach (var b in bindings) result.Bindings[b.Key] = b.Value;
            return new TensorValue(ShapeAlgebra.Instantiate(returns, hyper, result));
        }
    }
}
