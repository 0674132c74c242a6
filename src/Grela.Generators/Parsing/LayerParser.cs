using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Grela.Generators.Analysis;
using Grela.Generators.Diagnostics;
using Grela.Generators.Model;
using Grela.Generators.Shapes;
using Grela.Shapes.Grammar;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Parsing
{
    /// <summary>
    /// Reads one [Layer] or [Leaf] record (symbols and syntax) into a <see cref="LayerModel"/> plus
    /// diagnostics. The only stage that touches Roslyn's semantic model.
    /// </summary>
    internal static class LayerParser
    {
        public static LayerParseResult Parse(GeneratorAttributeSyntaxContext context, bool isLeaf, CancellationToken cancellation)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var name = type.Name;
            var nameLocation = LocationInfo.From(syntax.Identifier.GetLocation());

            if (!type.IsRecord || type.TypeKind != TypeKind.Class)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, nameLocation, name));
                return Done(null, diagnostics);
            }
            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, nameLocation, name));
                return Done(null, diagnostics);
            }
            if (type.ContainingType is not null || type.IsGenericType)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDeclaration, nameLocation, name));
                return Done(null, diagnostics);
            }

            var hyper = ReadHyperParameters(context.SemanticModel, syntax, type, diagnostics, cancellation);
            var moduleType = isLeaf ? type.ModuleTypeOf() : type.QualifiedName() + ".Module";
            if (moduleType is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LeafWithoutInterface, nameLocation, name));
                return Done(null, diagnostics);
            }
            var ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
            if (isLeaf)
            {
                var leaf = type.Attribute(KnownNames.LeafAttribute)!;
                foreach (var pattern in new[] { leaf.NamedString("Input"), leaf.NamedString("Output"), leaf.NamedString("State") }.Concat(leaf.LeafParameters().Select(p => p.Pattern)))
                {
                    if (pattern is not null) CheckPattern(pattern, leaf.AttributeLocation(), hyper, name, diagnostics);
                }
                var leafModel = new LayerModel(ns, name, true, moduleType, hyper.ToEquatableArray(),
                    EquatableArray<SubLayerModel>.Empty, EquatableArray<TensorMemberModel>.Empty, null, null, EquatableArray<ForwardModel>.Empty);
                return Done(leafModel, diagnostics);
            }

            var subs = ReadSubLayers(type, name, diagnostics);
            var tensors = ReadTensorMembers(type, name, diagnostics);
            var forward = ReadForward(type, name, nameLocation, hyper, diagnostics);
            var init = ReadInit(type, name, diagnostics);
            var forwarded = ReadForwardedMethods(type, name, hyper, ModuleMemberNames(context.SemanticModel.Compilation), diagnostics);
            if (forward is not null && diagnostics.Count == 0)
            {
                diagnostics.AddRange(ForwardAnalyzer.Analyze(context.SemanticModel, type, cancellation));
            }
            var model = new LayerModel(ns, name, false, moduleType, hyper.ToEquatableArray(), subs.ToEquatableArray(),
                tensors.ToEquatableArray(), forward, init, forwarded.ToEquatableArray());
            return Done(diagnostics.Any(d => IsUsageError(d.Id)) ? null : model, diagnostics);
        }

        private static bool IsUsageError(string id) => DiagnosticDescriptors.UsageErrors.Contains(id);

        private static LayerParseResult Done(LayerModel? model, List<DiagnosticInfo> diagnostics) =>
            new LayerParseResult(model, diagnostics.ToEquatableArray());

        private static List<HyperParameterModel> ReadHyperParameters(
            SemanticModel semantic, TypeDeclarationSyntax syntax, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken cancellation)
        {
            var result = new List<HyperParameterModel>();
            if (syntax.ParameterList is null) return result;
            var names = new HashSet<string>(syntax.ParameterList.Parameters.Select(p => p.Identifier.ValueText));
            foreach (var parameterSyntax in syntax.ParameterList.Parameters)
            {
                if (semantic.GetDeclaredSymbol(parameterSyntax, cancellation) is not IParameterSymbol p) continue;
                var constraints = new List<ConstraintModel>();
                if (p.HasAttribute(KnownNames.PositiveAttribute)) constraints.Add(new ConstraintModel(ConstraintKind.Positive, null));
                if (p.HasAttribute(KnownNames.NonNegativeAttribute)) constraints.Add(new ConstraintModel(ConstraintKind.NonNegative, null));
                if (p.HasAttribute(KnownNames.RateAttribute)) constraints.Add(new ConstraintModel(ConstraintKind.Rate, null));
                if (p.Attribute(KnownNames.DividesAttribute) is { } divides)
                {
                    var target = divides.StringArgument();
                    var targetParam = syntax.ParameterList.Parameters.FirstOrDefault(q => q.Identifier.ValueText == target);
                    var targetType = targetParam is null ? null : (semantic.GetDeclaredSymbol(targetParam, cancellation) as IParameterSymbol)?.Type;
                    if (target is null || !names.Contains(target) || targetType is null || !targetType.IsDimType() || !p.Type.IsDimType())
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDivides, LocationInfo.From(divides.AttributeLocation()), type.Name, target ?? "", p.Name));
                    }
                    else if (divides.QuotientMultipleOf() is not { } multiple)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidQuotientMultiple, LocationInfo.From(divides.AttributeLocation()), type.Name, target, p.Name));
                    }
                    else
                    {
                        constraints.Add(new ConstraintModel(ConstraintKind.Divides, target, multiple));
                    }
                }
                if (p.Attribute(KnownNames.MultipleOfAttribute) is { } multipleOf)
                {
                    // Only integers have multiples; a double would need a tolerance no attribute states.
                    if (multipleOf.MultipleOfFactor() is { } factor && p.Type.IsDimType())
                        constraints.Add(new ConstraintModel(ConstraintKind.MultipleOf, null, Factor: factor));
                    else
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMultipleOf, LocationInfo.From(multipleOf.AttributeLocation()), type.Name, p.Name));
                }
                var numeric = p.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single;
                if (constraints.Count > 0 && !numeric)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstraintOnNonNumeric, LocationInfo.From(parameterSyntax), type.Name, p.Type.ToDisplayString(), p.Name));
                    constraints.Clear();
                }
                result.Add(new HyperParameterModel(p.Name, p.Type.IsDimType(), p.Type.NullableAnnotation == NullableAnnotation.Annotated, constraints.ToEquatableArray()));
            }
            return result;
        }

        private static List<SubLayerModel> ReadSubLayers(INamedTypeSymbol type, string name, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<SubLayerModel>();
            var registered = new HashSet<string>();
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.Attribute(KnownNames.SubAttribute) is not { } sub) continue;
                var location = LocationInfo.From(property.Locations.FirstOrDefault());
                var regName = sub.StringArgument();
                if (string.IsNullOrEmpty(regName) || regName!.Contains(".") || !registered.Add(regName))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSubName, LocationInfo.From(sub.AttributeLocation()), name, regName ?? "", property.Name));
                    continue;
                }
                if (property.IsStatic || property.SetMethod is not null || property.GetMethod is null || property.Name is "Spec" or "Path" or "DisplayPath")
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSubProperty, location, name, property.Name));
                    continue;
                }
                string? moduleType;
                var isList = property.Type.IsLayerList(out var item);
                if (isList)
                {
                    var itemModule = item is not null && item.IsLayerRecord() ? item.ModuleTypeOf() : null;
                    moduleType = itemModule is null ? null : "global::TorchSharp.Modules.ModuleList<" + itemModule + ">";
                }
                else
                {
                    moduleType = property.Type.IsLayerRecord() ? property.Type.ModuleTypeOf() : null;
                }
                if (moduleType is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SubNotALayer, location, property.Name, property.Type.ToDisplayString()));
                    continue;
                }
                result.Add(new SubLayerModel(property.Name, regName, isList, moduleType));
            }
            return result;
        }

        private static List<TensorMemberModel> ReadTensorMembers(INamedTypeSymbol type, string name, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<TensorMemberModel>();
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                var buffer = method.Attribute(KnownNames.BufferAttribute);
                var parameter = method.Attribute(KnownNames.ParameterAttribute);
                if (buffer is null && parameter is null) continue;
                var attribute = (buffer ?? parameter)!;
                if (method.IsStatic || method.Parameters.Length != 0 || !method.ReturnType.IsTensor() || string.IsNullOrEmpty(attribute.StringArgument()))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTensorMethod, LocationInfo.From(method.Locations.FirstOrDefault()), name,
                        buffer is null ? "Parameter" : "Buffer", method.Name));
                    continue;
                }
                result.Add(new TensorMemberModel(method.Name, attribute.StringArgument()!, parameter is not null, buffer?.NamedBool("Persistent") ?? true));
            }
            return result;
        }

        private static string? ReadInit(INamedTypeSymbol type, string name, List<DiagnosticInfo> diagnostics)
        {
            string? init = null;
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.HasAttribute(KnownNames.InitAttribute)))
            {
                if (init is not null || method.IsStatic || !method.ReturnsVoid || method.Parameters.Length != 1 || !TakesOwnModule(method, type))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInit, LocationInfo.From(method.Locations.FirstOrDefault()), name, method.Name));
                    continue;
                }
                init = method.Name;
            }
            return init;
        }

        /// <summary>
        /// The [Forward] method, or null: a layer without one is state-only (its module owns sublayers,
        /// buffers or parameters that other layers read), unless it declares no state either (GRELA012).
        /// </summary>
        private static ForwardModel? ReadForward(INamedTypeSymbol type, string name, LocationInfo? nameLocation, List<HyperParameterModel> hyper, List<DiagnosticInfo> diagnostics)
        {
            var forwards = type.GetMembers().OfType<IMethodSymbol>().Where(m => m.HasAttribute(KnownNames.ForwardAttribute)).ToList();
            if (forwards.Count == 0)
            {
                if (!DeclaresState(type)) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidForward, nameLocation, name));
                return null;
            }
            if (forwards.Count > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SecondForward, LocationInfo.From(forwards[1].Locations.FirstOrDefault()), name,
                    forwards[1].Name, forwards[0].Name));
                return null;
            }
            var method = forwards[0];
            var methodLocation = LocationInfo.From(method.Locations.FirstOrDefault());
            if (method.IsStatic || method.IsGenericMethod || method.ReturnsVoid || method.Parameters.Length < 2 || method.Parameters.Length > 4
                || !TakesOwnModule(method, type) || method.Parameters.Any(p => p.RefKind != RefKind.None))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidForwardSignature, methodLocation, name, method.Name));
                return null;
            }
            return ReadSignature(method, name, hyper, diagnostics, guarded: true);
        }

        /// <summary>Whether the record declares a [Sub], [Buffer] or [Parameter] member (valid or not).</summary>
        private static bool DeclaresState(INamedTypeSymbol type) =>
            type.GetMembers().Any(m => m.HasAttribute(KnownNames.SubAttribute) || m.HasAttribute(KnownNames.BufferAttribute) || m.HasAttribute(KnownNames.ParameterAttribute));

        /// <summary>
        /// Whether the method's first parameter is this layer's generated <c>Module</c> (not declared
        /// yet, so a type named Module that belongs to no other type, or a hand-written part of it).
        /// </summary>
        private static bool TakesOwnModule(IMethodSymbol method, INamedTypeSymbol type) =>
            method.Parameters.Length > 0 && method.Parameters[0].Type is { Name: "Module" } module
            && (module.ContainingType is null || SymbolEqualityComparer.Default.Equals(module.ContainingType, type));

        /// <summary>
        /// Every public instance method besides [Forward] and [Init] that takes this layer's module
        /// first: the module gets a method of the same name and remaining parameters (defaults kept)
        /// that calls it with itself, so callers write <c>m.Attn.ForwardAt(u, mask, positions)</c>. One
        /// with a [Shape]d tensor parameter (ForwardAt, streaming steps) is guarded like forward. Not
        /// forwarded, and still callable as <c>m.Spec.X(m, ...)</c>: generic methods, overloaded names,
        /// ref/out/in/params parameters and ref returns. A name the module already has is GRELA029.
        /// </summary>
        private static List<ForwardModel> ReadForwardedMethods(INamedTypeSymbol type, string name, List<HyperParameterModel> hyper,
            ISet<string> moduleMembers, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<ForwardModel>();
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public
                    || method.HasAttribute(KnownNames.ForwardAttribute) || method.HasAttribute(KnownNames.InitAttribute) || !TakesOwnModule(method, type))
                    continue;
                if (method.IsGenericMethod || method.ReturnsByRef || method.ReturnsByRefReadonly || method.Parameters.Any(p => p.RefKind != RefKind.None || p.IsParams)
                    || type.GetMembers(method.Name).OfType<IMethodSymbol>().Count() > 1)
                    continue;
                if (moduleMembers.Contains(method.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardedNameTaken, LocationInfo.From(method.Locations.FirstOrDefault()), name, method.Name));
                    continue;
                }
                var guarded = method.Parameters.Skip(1).Any(p => p.Type.IsTensor() && p.Attribute(KnownNames.ShapeAttribute) is not null);
                result.Add(ReadSignature(method, name, hyper, diagnostics, guarded));
            }
            return result;
        }

        /// <summary>
        /// The names a forwarded method must not take: the generated module's own members and every
        /// member TorchSharp's Module types declare or inherit (forward, to, train, Dispose, ToString...).
        /// </summary>
        private static HashSet<string> ModuleMemberNames(Compilation compilation)
        {
            var names = new HashSet<string> { "Spec", "Path", "DisplayPath" };
            foreach (var metadataName in new[] { "TorchSharp.torch+nn+Module", "TorchSharp.torch+nn+Module`2", "TorchSharp.torch+nn+Module`3", "TorchSharp.torch+nn+Module`4" })
            {
                for (var t = compilation.GetTypeByMetadataName(metadataName); t is not null; t = t.BaseType)
                {
                    foreach (var member in t.GetMembers())
                    {
                        if (member.DeclaredAccessibility != Accessibility.Private && member.CanBeReferencedByName) names.Add(member.Name);
                    }
                }
            }
            return names;
        }

        /// <summary>
        /// A method's signature after the module; with <paramref name="guarded"/>, its [Shape] patterns
        /// too (checked here), otherwise none (a plain forwarding method checks nothing).
        /// </summary>
        private static ForwardModel ReadSignature(IMethodSymbol method, string name, List<HyperParameterModel> hyper, List<DiagnosticInfo> diagnostics, bool guarded)
        {
            var parameters = new List<ForwardParameterModel>();
            foreach (var p in method.Parameters.Skip(1))
            {
                var shape = guarded ? p.Attribute(KnownNames.ShapeAttribute) : null;
                var pattern = shape?.StringArgument();
                if (pattern is not null)
                {
                    if (!p.Type.IsTensor())
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeOnNonTensor, LocationInfo.From(shape!.AttributeLocation()), name, p.Name));
                        pattern = null;
                    }
                    else if (!CheckPattern(pattern, shape!.AttributeLocation(), hyper, name, diagnostics))
                    {
                        pattern = null; // reported; the module is still generated, without this guard
                    }
                }
                parameters.Add(new ForwardParameterModel(p.Name, p.Type.QualifiedName(), pattern, p.NullableAnnotation == NullableAnnotation.Annotated, p.DefaultValueText()));
            }
            var returnShape = guarded ? method.ReturnAttribute(KnownNames.ShapeAttribute) : null;
            var returnPattern = returnShape?.StringArgument();
            if (returnPattern is not null && !CheckPattern(returnPattern, returnShape!.AttributeLocation(), hyper, name, diagnostics)) returnPattern = null;
            return new ForwardModel(method.Name, parameters.ToEquatableArray(), method.ReturnType.QualifiedName(), returnPattern);
        }

        /// <summary>
        /// Reports GRELA011 for a pattern that does not parse (returns false) and GRELA010 for an
        /// unknown name in it (still usable: the name acts as a free dim).
        /// </summary>
        private static bool CheckPattern(string pattern, Location? location, List<HyperParameterModel> hyper, string layer, List<DiagnosticInfo> diagnostics)
        {
            var where = LocationInfo.From(location);
            if (!PatternParser.TryParse(pattern, out var parsed, out var error))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidShape, where, pattern, error!));
                return false;
            }
            var dims = new HashSet<string>(hyper.Where(h => h.IsDim).Select(h => h.Name));
            foreach (var id in parsed!.Names())
            {
                if (!dims.Contains(id) && !KnownNames.Glossary.Contains(id))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownDimName, where, pattern, id, layer, string.Join(" ", KnownNames.Glossary)));
                }
            }
            return true;
        }
    }
}
