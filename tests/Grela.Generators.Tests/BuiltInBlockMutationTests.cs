using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Tests;

/// <summary>
/// The issue's acceptance check, run on the real sources: compile every source file of Grela.Core
/// (plus a sample block written the same way) with the generator; the unchanged code must build
/// without errors, and changing any <c>Linear(Dim, Dim)</c> to <c>Linear(Dim, Dim * 2)</c>, or any
/// width argument of any sublayer, must give a GRELA error on the edited line.
/// </summary>
public partial class BuiltInBlockMutationTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [GeneratedRegex(@"new(\s+Linear)?\(\s*Dim\s*,\s*Dim\s*\)")]
    private static partial Regex SquareLinear();

    [Fact]
    public void WideningAnySquareLinearIsAnErrorOnThatLine()
    {
        var (compilation, trees) = CoreCompilation();

        var baseline = Errors(compilation);
        Assert.True(baseline.Count == 0, "the unchanged sources do not build:\n" + string.Join("\n", baseline.Take(10)));

        var sites = 0;
        foreach (var tree in trees)
        {
            var lines = tree.GetText().Lines;
            foreach (var line in lines)
            {
                var text = line.ToString();
                var match = SquareLinear().Match(text);
                if (!match.Success || !text.Contains("Linear", StringComparison.Ordinal)) continue;
                sites++;
                var edited = text[..match.Index] + match.Value.Replace("Dim)", "Dim * 2)") + text[(match.Index + match.Length)..];
                var newText = tree.GetText().Replace(line.Span, edited);
                var mutated = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(newText));
                var errors = Errors(mutated);
                var lineNumber = line.LineNumber;
                Assert.True(
                    errors.Any(e => e.Id.StartsWith("GRELA", StringComparison.Ordinal) && e.Location.GetLineSpan().Path == tree.FilePath
                                    && e.Location.GetLineSpan().StartLinePosition.Line == lineNumber),
                    $"{Path.GetFileName(tree.FilePath)}:{lineNumber + 1}: widening '{match.Value}' gave no GRELA error on that line; got:\n"
                    + string.Join("\n", errors.Take(5)));
            }
        }
        Assert.True(sites >= 3, "expected at least the sample's three square projections, found " + sites);
    }

    /// <summary>
    /// Every construction argument of every [Sub] of every built-in record that fixes a dim of the
    /// sublayer's input, output or state (its parameter is named in the sublayer's [Leaf] or
    /// [Forward] patterns, or a state-only layer's public method patterns) is changed from <c>a</c> to <c>(a) + 1</c>; each change must give a GRELA
    /// error on the edited line. All misses are listed at once.
    /// </summary>
    [Fact]
    public void ChangingAnyWidthArgumentOfAnyBuiltInSublayerIsAnErrorOnThatLine()
    {
        var (compilation, trees) = CoreCompilation();
        Assert.Empty(Errors(compilation));
        var misses = new List<string>();
        var sites = 0;
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var (creation, argument) in WidthArguments(tree, model))
            {
                sites++;
                var text = argument.Expression.ToString();
                var edited = tree.GetText().Replace(argument.Expression.Span, "(" + text + ") + 1");
                var errors = GeneratorErrors(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(edited)));
                var line = argument.GetLocation().GetLineSpan().StartLinePosition.Line;
                if (!errors.Any(e => e.Id.StartsWith("GRELA", StringComparison.Ordinal) && e.Location.GetLineSpan().Path == tree.FilePath
                                     && e.Location.GetLineSpan().StartLinePosition.Line == line))
                {
                    misses.Add($"{Path.GetFileName(tree.FilePath)}:{line + 1}: '{creation}' with {text} + 1");
                }
            }
        }
        Assert.Equal(KnownBlindSpots.Order(), misses.Where(m => KnownBlindSpots.Any(k => m.StartsWith(k, StringComparison.Ordinal))).Order());
        misses.RemoveAll(m => KnownBlindSpots.Any(k => m.StartsWith(k, StringComparison.Ordinal)));
        Assert.True(misses.Count == 0, $"{misses.Count} of {sites} width arguments can change without a GRELA error on their line:\n" + string.Join("\n", misses));
        Assert.True(sites >= 40, "expected the built-in records' width arguments, found " + sites);
    }

    /// <summary>
    /// Sites the analysis does not reach yet, each listed so that closing one fails this test until it
    /// is removed here. None at present: RegisterSlots' width reaches the attention as its
    /// [Shape]-declared PriorState / PriorKeys passed to LinearAttention.Causal and CausalRead.
    /// </summary>
    private static readonly string[] KnownBlindSpots = [];

    /// <summary>The arguments of [Sub] creations whose parameter is a dim of the sublayer's shapes.</summary>
    private static IEnumerable<(string Creation, ArgumentSyntax Argument)> WidthArguments(SyntaxTree tree, SemanticModel model)
    {
        foreach (var property in tree.GetRoot().DescendantNodes().OfType<PropertyDeclarationSyntax>()
                     .Where(p => p.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() == "Sub")))
        {
            foreach (var creation in property.DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(creation).Symbol is not IMethodSymbol ctor || creation.ArgumentList is null) continue;
                var names = ShapeNames(ctor.ContainingType);
                var args = creation.ArgumentList.Arguments;
                for (var i = 0; i < args.Count; i++)
                {
                    var parameter = args[i].NameColon is { } named ? ctor.Parameters.FirstOrDefault(p => p.Name == named.Name.Identifier.ValueText) : i < ctor.Parameters.Length ? ctor.Parameters[i] : null;
                    if (parameter is { Type.SpecialType: SpecialType.System_Int32 } && names.Contains(parameter.Name)) yield return (creation.ToString(), args[i]);
                }
            }
        }
    }

    private static HashSet<string> ShapeNames(INamedTypeSymbol type)
    {
        var patterns = new List<string>();
        foreach (var attribute in type.GetAttributes())
        {
            // A recurrent leaf's state (its layer count) and a leaf's parameter shapes (a kernel size) are
            // not widths that composition fixes: only what flows in and out is.
            if (attribute.AttributeClass?.Name == "LeafAttribute")
                patterns.AddRange(attribute.NamedArguments.Where(a => a.Key is "Input" or "Output").Select(a => a.Value.Value as string ?? ""));
        }
        // A state-only layer (no [Forward]) shows its widths in the shapes of the methods others call.
        var methods = type.GetMembers().OfType<IMethodSymbol>().ToList();
        var forward = methods.Where(m => m.GetAttributes().Any(a => a.AttributeClass?.Name == "ForwardAttribute")).ToList();
        foreach (var method in forward.Count > 0 ? forward : methods.Where(m => m.DeclaredAccessibility == Accessibility.Public))
        {
            patterns.AddRange(method.GetReturnTypeAttributes().Concat(method.Parameters.SelectMany(p => p.GetAttributes()))
                .Where(a => a.AttributeClass?.Name == "ShapeAttribute").Select(a => a.ConstructorArguments[0].Value as string ?? ""));
        }
        return patterns.SelectMany(p => Regex.Split(p, "[^A-Za-z0-9_]+")).Where(n => n.Length > 0).ToHashSet();
    }

    private static (CSharpCompilation Compilation, List<SyntaxTree> Trees) CoreCompilation()
    {
        var root = DiagnosticTests.RepoRoot();
        var core = Path.Combine(root, "src", "Grela.Core");
        var files = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "src", "Shared"), "*.cs"))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .Append((Path: "GatedBlock.cs", Text: File.ReadAllText(Path.Combine(root, "tests", "Grela.Generators.Tests", "Samples", "GatedBlock.cs.txt"))))
            .ToList();
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, f.Path)).ToList();
        var all = trees.Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.cs")).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => Path.GetFileName(p) is not ("Grela.Core.dll" or "Grela.Generators.Tests.dll"))
            .GroupBy(Path.GetFileName).Select(g => g.Last())
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        var compilation = CSharpCompilation.Create("Grela.Core", all, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        return (compilation, trees);
    }

    /// <summary>The generator's own errors (GRELA ids); a width change never breaks C# binding, so the full compile is not needed.</summary>
    private static List<Diagnostic> GeneratorErrors(Compilation compilation) =>
        GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult().Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    private static List<Diagnostic> Errors(Compilation compilation)
    {
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
