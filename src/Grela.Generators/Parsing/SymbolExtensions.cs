using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grela.Generators.Parsing
{
    internal static class SymbolExtensions
    {
        private static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static string QualifiedName(this ITypeSymbol type) => type.ToDisplayString(Qualified);

        public static AttributeData? Attribute(this ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

        public static AttributeData? ReturnAttribute(this IMethodSymbol method, string metadataName) =>
            method.GetReturnTypeAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

        public static bool HasAttribute(this ISymbol symbol, string metadataName) => symbol.Attribute(metadataName) is not null;

        public static string? StringArgument(this AttributeData attribute, int index = 0) =>
            attribute.ConstructorArguments.Length > index ? attribute.ConstructorArguments[index].Value as string : null;

        public static string? NamedString(this AttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(p => p.Key == name).Value.Value as string;

        public static IReadOnlyList<string> NamedStrings(this AttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(p => p.Key == name).Value is { Kind: TypedConstantKind.Array } array
                ? array.Values.Select(v => v.Value as string).Where(v => v is not null).Select(v => v!).ToList()
                : new List<string>();

        /// <summary>A leaf's <c>"weight: Out In"</c> entries as (parameter name, pattern text).</summary>
        public static IEnumerable<(string Name, string Pattern)> LeafParameters(this AttributeData leaf) =>
            leaf.NamedStrings("Parameters").Where(e => e.IndexOf(':') > 0)
                .Select(e => (e.Substring(0, e.IndexOf(':')).Trim(), e.Substring(e.IndexOf(':') + 1).Trim()));

        /// <summary>
        /// [Divides]'s QuotientMultipleOf: 1 when it is not given, null when it is not an int constant of
        /// at least 1 (the parser reports that; the construction checker then skips the rule).
        /// </summary>
        public static int? QuotientMultipleOf(this AttributeData divides)
        {
            var named = divides.NamedArguments.Where(p => p.Key == "QuotientMultipleOf").ToList();
            if (named.Count == 0) return 1;
            return named[0].Value is { Kind: TypedConstantKind.Primitive, Value: int multiple } && multiple >= 1 ? multiple : null;
        }

        /// <summary>
        /// [MultipleOf]'s factor, or null when it is not an int constant of at least 1 (the parser
        /// reports that; the construction checker then skips the rule).
        /// </summary>
        public static int? MultipleOfFactor(this AttributeData multipleOf) =>
            multipleOf.ConstructorArguments.Length == 1
            && multipleOf.ConstructorArguments[0] is { Kind: TypedConstantKind.Primitive, Value: int factor } && factor >= 1
                ? factor
                : null;

        public static bool? NamedBool(this AttributeData attribute, string name) =>
            attribute.NamedArguments.FirstOrDefault(p => p.Key == name).Value.Value as bool?;

        public static bool IsLayerRecord(this ITypeSymbol type) =>
            type.HasAttribute(KnownNames.LayerAttribute) || type.HasAttribute(KnownNames.LeafAttribute);

        public static bool IsLayerList(this ITypeSymbol type, out ITypeSymbol? item)
        {
            item = null;
            if (type is INamedTypeSymbol { IsGenericType: true } named
                && named.OriginalDefinition.ToDisplayString() == "Grela.Layers.LayerList<T>")
            {
                item = named.TypeArguments[0];
                return true;
            }
            return false;
        }

        public static bool IsTensor(this ITypeSymbol type) =>
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).TrimEnd('?') == "global::TorchSharp.torch.Tensor"
            || (type.BaseType is { } b && b.IsTensor());

        public static bool IsDimType(this ITypeSymbol type) =>
            type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

        /// <summary>
        /// A parameter's default value as source that compiles outside its declaring type (enums
        /// qualified, float suffixes kept), or null when it has none.
        /// </summary>
        public static string? DefaultValueText(this IParameterSymbol parameter)
        {
            if (!parameter.HasExplicitDefaultValue) return null;
            var value = parameter.ExplicitDefaultValue;
            var nullable = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n : null;
            if (value is null) return parameter.Type.IsReferenceType || nullable is not null ? "null" : "default";
            var type = nullable?.TypeArguments[0] ?? parameter.Type;
            if (type.TypeKind != TypeKind.Enum) return Literal(value);
            var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return member is not null ? type.QualifiedName() + "." + member.Name : "(" + type.QualifiedName() + ")(" + Literal(value) + ")";
        }

        private static string Literal(object value)
        {
            var invariant = CultureInfo.InvariantCulture;
            return value switch
            {
                string s => SymbolDisplay.FormatLiteral(s, quote: true),
                char c => SymbolDisplay.FormatLiteral(c, quote: true),
                bool b => b ? "true" : "false",
                float f when float.IsNaN(f) => "global::System.Single.NaN",
                float f when float.IsInfinity(f) => f > 0 ? "global::System.Single.PositiveInfinity" : "global::System.Single.NegativeInfinity",
                float f => f.ToString("R", invariant) + "F",
                double d when double.IsNaN(d) => "global::System.Double.NaN",
                double d when double.IsInfinity(d) => d > 0 ? "global::System.Double.PositiveInfinity" : "global::System.Double.NegativeInfinity",
                double d => d.ToString("R", invariant) + "D",
                decimal m => m.ToString(invariant) + "M",
                long l => l.ToString(invariant) + "L",
                ulong u => u.ToString(invariant) + "UL",
                uint u => u.ToString(invariant) + "U",
                System.IFormattable n => n.ToString(null, invariant),
                _ => value.ToString() ?? "default",
            };
        }

        public static Location? AttributeLocation(this AttributeData attribute) =>
            attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

        /// <summary>
        /// The fully qualified module type a layer builds: <c>X.Module</c> for a [Layer] record (its
        /// module is generated, so not yet visible), or T of ILayer&lt;T&gt; for a leaf.
        /// </summary>
        public static string? ModuleTypeOf(this ITypeSymbol type)
        {
            if (type.HasAttribute(KnownNames.LayerAttribute)) return type.QualifiedName().TrimEnd('?') + ".Module";
            var layer = type.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.ToDisplayString() == "Grela.Layers.ILayer<TModule>");
            return layer?.TypeArguments[0].QualifiedName();
        }
    }
}
