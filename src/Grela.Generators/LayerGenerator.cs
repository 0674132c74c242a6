using Grela.Generators.Analysis;
using Grela.Generators.Emit;
using Grela.Generators.Model;
using Grela.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators
{
    /// <summary>
    /// Generates the TorchSharp module, Build and Validate of every [Layer] record, the Validate and
    /// Build of every [Leaf] record, and reports shape and hyperparameter errors. Pipeline:
    /// parse (symbols -> equatable <see cref="LayerModel"/>) -> emit (model -> text).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class LayerGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps (for cacheability tests).</summary>
        public static class Steps
        {
            public const string Layers = "Layers";
            public const string Leaves = "Leaves";
            public const string Constructions = "Constructions";
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var layers = context.SyntaxProvider.ForAttributeWithMetadataName(
                    KnownNames.LayerAttribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => LayerParser.Parse(ctx, isLeaf: false, ct))
                .WithTrackingName(Steps.Layers);
            var leaves = context.SyntaxProvider.ForAttributeWithMetadataName(
                    KnownNames.LeafAttribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => LayerParser.Parse(ctx, isLeaf: true, ct))
                .WithTrackingName(Steps.Leaves);
            var constructions = context.SyntaxProvider.CreateSyntaxProvider(
                    static (node, _) => ConstructionChecker.IsCandidate(node),
                    static (ctx, ct) => ConstructionChecker.Check(ctx, ct))
                .Where(static d => d.Count > 0)
                .WithTrackingName(Steps.Constructions);

            context.RegisterSourceOutput(layers, static (spc, result) => Output(spc, result));
            context.RegisterSourceOutput(leaves, static (spc, result) => Output(spc, result));
            context.RegisterSourceOutput(constructions, static (spc, diagnostics) =>
            {
                foreach (var d in diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            });
        }

        private static void Output(SourceProductionContext context, LayerParseResult result)
        {
            foreach (var d in result.Diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
            if (result.Model is { } model) context.AddSource(LayerEmitter.HintName(model), LayerEmitter.Emit(model));
        }
    }
}
