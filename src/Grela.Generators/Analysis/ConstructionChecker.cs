using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Grela.Generators.Diagnostics;
using Grela.Generators.Model;
using Grela.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Analysis
{
    /// <summary>
    /// Checks the constant arguments of any <c>new X(...)</c> of a layer record against X's
    /// constraint attributes ([Positive], [NonNegative], [Rate], [MultipleOf], [Divides] with its
    /// QuotientMultipleOf).
    /// Arguments that are not compile-time constants are left to the generated Validate at Build time.
    /// </summary>
    internal static class ConstructionChecker
    {
        public static bool IsCandidate(SyntaxNode node) =>
            node is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 };

        public static EquatableArray<DiagnosticInfo> Check(GeneratorSyntaxContext context, CancellationToken cancellation)
        {
            var creation = (BaseObjectCreationExpressionSyntax)context.Node;
            if (context.SemanticModel.GetSymbolInfo(creation, cancellation).Symbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } ctor
                || !ctor.ContainingType.IsLayerRecord())
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }
            var type = ctor.ContainingType.Name;
            var args = creation.ArgumentList!.Arguments;
            var values = new Dictionary<string, (double Value, ArgumentSyntax? Syntax)>();
            for (var i = 0; i < ctor.Parameters.Length; i++)
            {
                var p = ctor.Parameters[i];
                var arg = args.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == p.Name)
                          ?? (i < args.Count && args[i].NameColon is null ? args[i] : null);
                if (arg is null)
                {
                    if (p.HasExplicitDefaultValue && Number(p.ExplicitDefaultValue) is { } d) values[p.Name] = (d, null);
                    continue;
                }
                var constant = context.SemanticModel.GetConstantValue(arg.Expression, cancellation);
                if (constant.HasValue && Number(constant.Value) is { } v) values[p.Name] = (v, arg);
            }

            var diagnostics = new List<DiagnosticInfo>();
            foreach (var p in ctor.Parameters)
            {
                if (!values.TryGetValue(p.Name, out var entry) || entry.Syntax is null) continue;
                var where = LocationInfo.From(entry.Syntax.Expression);
                var shown = Show(entry.Value);
                if (p.HasAttribute(KnownNames.PositiveAttribute) && !(entry.Value > 0))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPositive, where, type, p.Name, shown));
                if (p.HasAttribute(KnownNames.NonNegativeAttribute) && !(entry.Value >= 0))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Negative, where, type, p.Name, shown));
                if (p.HasAttribute(KnownNames.RateAttribute) && !(entry.Value >= 0 && entry.Value < 1))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RateOutOfRange, where, type, p.Name, shown));
                // An invalid factor, or [MultipleOf] on a non-integer, is the declaration's error (GRELA033).
                if (p.Type.IsDimType() && p.Attribute(KnownNames.MultipleOfAttribute)?.MultipleOfFactor() is { } factor && entry.Value % factor != 0)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotMultiple, where, type, p.Name, Show(factor), shown));
            }
            // [Divides] needs both ends constant; it is reported on whichever end is written here. An
            // invalid QuotientMultipleOf is the declaration's error (GRELA031), not this call's.
            foreach (var p in ctor.Parameters)
            {
                if (p.Attribute(KnownNames.DividesAttribute) is not { } divides || divides.StringArgument() is not { } target) continue;
                if (!values.TryGetValue(p.Name, out var divisor) || !values.TryGetValue(target, out var dividend)) continue;
                var at = divisor.Syntax ?? dividend.Syntax;
                if (at is null) continue;
                var where = LocationInfo.From(at.Expression);
                if (divisor.Value == 0 || dividend.Value % divisor.Value != 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DoesNotDivide, where,
                        type, p.Name, Show(divisor.Value), target, Show(dividend.Value)));
                }
                else if (divides.QuotientMultipleOf() is { } multiple && dividend.Value / divisor.Value % multiple != 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.QuotientNotMultiple, where,
                        type, p.Name, target, Show(multiple), Show(dividend.Value), Show(divisor.Value), Show(dividend.Value / divisor.Value)));
                }
            }
            return diagnostics.ToEquatableArray();
        }

        private static double? Number(object? value) => value switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            _ => null,
        };

        private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
