using System.Collections.Generic;
using System.Linq;
using System.Threading;
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
    /// What the analysis knows of one [Sub] of the record being checked: the callee's declared
    /// input/output patterns and its int hyperparameters as dims in the caller's terms (from the
    /// property's <c>new X(...)</c>).
    /// </summary>
    internal sealed class SubLayerInfo
    {
        private SubLayerInfo(ITypeSymbol layerType, string property, string name, string typeName, bool isList, IReadOnlyList<(string Name, ParsedPattern? Pattern)> inputs,
            ParsedPattern? output, ParsedPattern? state, IReadOnlyDictionary<string, ParsedPattern> parameters, IReadOnlyDictionary<string, SymDim> arguments)
        {
            LayerType = layerType;
            Parameters = parameters;
            State = state;
            Property = property;
            Name = name;
            TypeName = typeName;
            IsList = isList;
            Inputs = inputs;
            Output = output;
            Arguments = arguments;
        }

        /// <summary>The sublayer's record type (analysis only: never stored in the pipeline model).</summary>
        public ITypeSymbol LayerType { get; }

        public string Property { get; }
        public string Name { get; }
        public string TypeName { get; }
        public bool IsList { get; }
        public IReadOnlyList<(string Name, ParsedPattern? Pattern)> Inputs { get; }
        public ParsedPattern? Output { get; }

        /// <summary>A recurrent leaf's final state: its module returns (output, state).</summary>
        public ParsedPattern? State { get; }

        /// <summary>A leaf's declared parameter shapes (<c>m.Conv.weight</c>), by parameter name.</summary>
        public IReadOnlyDictionary<string, ParsedPattern> Parameters { get; }
        public IReadOnlyDictionary<string, SymDim> Arguments { get; }

        public static SubLayerInfo? Read(IPropertySymbol property, Compilation compilation, ISet<string> callerDims, CancellationToken cancellation)
        {
            var sub = property.Attribute(KnownNames.SubAttribute);
            if (sub?.StringArgument() is not { } name) return null;
            var isList = property.Type.IsLayerList(out var item);
            var layerType = isList ? item : property.Type;
            if (layerType is null || !layerType.IsLayerRecord()) return null;

            var inputs = new List<(string, ParsedPattern?)>();
            ParsedPattern? output = null;
            ParsedPattern? state = null;
            var parameters = new Dictionary<string, ParsedPattern>();
            if (layerType.Attribute(KnownNames.LeafAttribute) is { } leaf)
            {
                inputs.Add(("input", PatternParser.Parse(leaf.NamedString("Input") ?? "...")));
                output = PatternParser.Parse(leaf.NamedString("Output") ?? "...");
                state = PatternParser.Parse(leaf.NamedString("State"));
                foreach (var (parameter, text) in leaf.LeafParameters())
                {
                    if (PatternParser.Parse(text) is { } pattern) parameters[parameter] = pattern;
                }
            }
            else
            {
                // A state-only layer has no forward: no inputs or output, but its methods are still composition steps.
                var forward = layerType.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m => m.HasAttribute(KnownNames.ForwardAttribute));
                if (forward is not null)
                {
                    foreach (var p in forward.Parameters.Skip(1)) inputs.Add((p.Name, PatternParser.Parse(p.Attribute(KnownNames.ShapeAttribute)?.StringArgument())));
                    output = PatternParser.Parse(forward.ReturnAttribute(KnownNames.ShapeAttribute)?.StringArgument());
                }
            }

            var arguments = new Dictionary<string, SymDim>();
            var creation = FindCreation(property, cancellation);
            var model = creation is null ? null : compilation.GetSemanticModel(creation.SyntaxTree);
            var ctor = creation is null ? null : model!.GetSymbolInfo(creation, cancellation).Symbol as IMethodSymbol;
            if (ctor is not null)
            {
                var args = creation!.ArgumentList!.Arguments;
                for (var i = 0; i < ctor.Parameters.Length; i++)
                {
                    var p = ctor.Parameters[i];
                    if (!p.Type.IsDimType()) continue;
                    var arg = args.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == p.Name)
                              ?? (i < args.Count && args[i].NameColon is null ? args[i] : null);
                    if (arg is not null)
                    {
                        var poly = DimExpressions.ToPoly(arg.Expression, model!, callerDims, cancellation);
                        var where = LocationInfo.From(arg.Expression)!;
                        var origin = new DimOrigin(where, "'" + name + "' " + layerType.Name + "." + p.Name, true);
                        arguments[p.Name] = new SymDim(poly, Compact(arg.Expression.ToString()), origin);
                    }
                    else if (p.HasExplicitDefaultValue && p.ExplicitDefaultValue is int or long)
                    {
                        var value = System.Convert.ToInt64(p.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture);
                        arguments[p.Name] = new SymDim(Poly.Constant(value), value.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                    }
                }
            }
            // Int hyperparameters we could not read stay unknown (not free: they are fixed per module).
            foreach (var p in RecordParameters(layerType).Where(p => p.Type.IsDimType() && !arguments.ContainsKey(p.Name)))
            {
                arguments[p.Name] = SymDim.Unknown(p.Name);
            }
            return new SubLayerInfo(layerType, property.Name, name, layerType.Name, isList, inputs, output, state, parameters, arguments);
        }

        private static IEnumerable<IParameterSymbol> RecordParameters(ITypeSymbol type) =>
            (type as INamedTypeSymbol)?.InstanceConstructors
                .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
                .OrderByDescending(c => c.Parameters.Length).FirstOrDefault()?.Parameters ?? Enumerable.Empty<IParameterSymbol>();

        /// <summary>The <c>new X(...)</c> of an expression-bodied [Sub] property, also inside <c>LayerList.Repeat(n, i =&gt; new X(...))</c>.</summary>
        private static BaseObjectCreationExpressionSyntax? FindCreation(IPropertySymbol property, CancellationToken cancellation)
        {
            var syntax = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) as PropertyDeclarationSyntax;
            var body = syntax?.ExpressionBody?.Expression
                       ?? syntax?.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration))?.ExpressionBody?.Expression;
            return Creation(body);
        }

        private static BaseObjectCreationExpressionSyntax? Creation(ExpressionSyntax? expression) => expression switch
        {
            BaseObjectCreationExpressionSyntax { ArgumentList: not null } c => c,
            ParenthesizedExpressionSyntax p => Creation(p.Expression),
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Repeat" } } call
                when call.ArgumentList.Arguments.Count == 2 && call.ArgumentList.Arguments[1].Expression is LambdaExpressionSyntax { ExpressionBody: { } body } =>
                Creation(body),
            _ => null,
        };

        private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>Reads C# int expressions over the record's hyperparameters as polynomials.</summary>
    internal static class DimExpressions
    {
        /// <summary>Computed int properties are followed this many levels deep (a cycle does not compile, but stay safe).</summary>
        private const int MaxDepth = 4;

        public static Poly? ToPoly(ExpressionSyntax expression, SemanticModel model, ISet<string> dims, CancellationToken cancellation) =>
            ToPoly(expression, model, dims, cancellation, 0);

        private static Poly? ToPoly(ExpressionSyntax expression, SemanticModel model, ISet<string> dims, CancellationToken cancellation, int depth)
        {
            if (depth > MaxDepth) return null;
            switch (expression)
            {
                case ParenthesizedExpressionSyntax p:
                    return ToPoly(p.Expression, model, dims, cancellation, depth);
                case CastExpressionSyntax c:
                    return ToPoly(c.Expression, model, dims, cancellation, depth);
                case CheckedExpressionSyntax c:
                    return ToPoly(c.Expression, model, dims, cancellation, depth);
                case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                    return ToPoly(u.Operand, model, dims, cancellation, depth)?.Negate();
                case IdentifierNameSyntax id when dims.Contains(id.Identifier.ValueText):
                    return Poly.Symbol(id.Identifier.ValueText);
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax id } when dims.Contains(id.Identifier.ValueText):
                    return Poly.Symbol(id.Identifier.ValueText);
                case BinaryExpressionSyntax b when b.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression
                                                      or SyntaxKind.MultiplyExpression or SyntaxKind.DivideExpression:
                    var left = ToPoly(b.Left, model, dims, cancellation, depth);
                    var right = ToPoly(b.Right, model, dims, cancellation, depth);
                    return left is null || right is null ? null : ShapeAlgebra.Combine(b.OperatorToken.ValueText[0], left, right);
            }
            var constant = model.GetConstantValue(expression, cancellation);
            if (constant.HasValue && constant.Value is int or long)
                return Poly.Constant(System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture));
            return ComputedProperty(expression, model, dims, cancellation, depth);
        }

        /// <summary>
        /// A width the record computes from its hyperparameters (<c>Inner => Expand * Dim</c>) is read
        /// through its expression body, so a sublayer built with <c>Inner</c> and one built with
        /// <c>Expand * Dim</c> agree. C# integer division is read as exact division: both sides of a
        /// comparison go through the same expression, so this never makes two equal ints differ.
        /// </summary>
        private static Poly? ComputedProperty(ExpressionSyntax expression, SemanticModel model, ISet<string> dims, CancellationToken cancellation, int depth)
        {
            if (expression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax })) return null;
            if (model.GetSymbolInfo(expression, cancellation).Symbol is not IPropertySymbol { IsStatic: false } property || !property.Type.IsDimType()) return null;
            if (property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation) is not PropertyDeclarationSyntax { ExpressionBody.Expression: { } body }) return null;
            var bodyModel = body.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(body.SyntaxTree);
            return ToPoly(body, bodyModel, dims, cancellation, depth + 1);
        }
    }
}
