using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grela.Generators.Tests;

/// <summary>
/// The issue's acceptance check, run on the real sources: compile every source file of Grela.Core
/// (plus a sample block written the same way) with the generator; the unchanged code must build
/// without errors, and changing any <c>Linear(Dim, Dim)</c> to <c>Linear(Dim, Dim * 2)</c> must give
/// a GRELA error on the edited line.
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
        var root = DiagnosticTests.RepoRoot();
        var core = Path.Combine(root, "src", "Grela.Core");
        var files = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .Append((Path: "GatedBlock.cs", Text: File.ReadAllText(Path.Combine(root, "tests", "Grela.Generators.Tests", "Samples", "GatedBlock.cs.txt"))))
            .ToList();
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, parse, f.Path)).Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.cs")).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => Path.GetFileName(p) is not ("Grela.Core.dll" or "Grela.Generators.Tests.dll"))
            .GroupBy(Path.GetFileName).Select(g => g.Last())
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        var compilation = CSharpCompilation.Create("Grela.Core", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

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

    private static List<Diagnostic> Errors(Compilation compilation)
    {
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }
}
