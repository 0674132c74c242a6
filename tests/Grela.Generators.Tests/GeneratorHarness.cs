using System.Collections.Immutable;
using Grela.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grela.Generators.Tests;

/// <summary>Compiles sources against Grela.Core and runs the layer generator over them (offline).</summary>
internal static class GeneratorHarness
{
    public const string Usings = """
        using Grela.Layers;
        using TorchSharp;
        using static TorchSharp.torch;
        using static TorchSharp.torch.nn.functional;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = new[] { "Grela.Core.dll", "TorchSharp.dll", "LanguageExt.Core.dll" }
            .Select(f => Path.Combine(AppContext.BaseDirectory, f));
        return platform.Where(p => !local.Any(l => Path.GetFileName(l) == Path.GetFileName(p)))
            .Concat(local)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Sample",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview), path: "Layer" + i + ".cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new LayerGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps),
            parseOptions: CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview));

    /// <summary>Runs the generator; returns its result and the diagnostics of compiling the output.</summary>
    public static (GeneratorDriverRunResult Run, ImmutableArray<Diagnostic> CompileDiagnostics) Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var errors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return (driver.GetRunResult(), errors);
    }

    /// <summary>
    /// Runs the generator on sources that must build cleanly: asserts no generator diagnostics and no
    /// compile warnings or errors, and returns the generated text by hint name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RunClean(params string[] sources)
    {
        var (run, compile) = Run(sources);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compile);
        return run.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>
    /// Compiles sources that must build cleanly, with the generated code, into an assembly loaded in
    /// this process (beside the Grela.Core the tests reference), so generated guards can be run.
    /// </summary>
    public static System.Reflection.Assembly Load(params string[] sources)
    {
        Driver().RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return System.Reflection.Assembly.Load(image.ToArray());
    }

    /// <summary>The generator's diagnostics for sources that are otherwise valid.</summary>
    public static ImmutableArray<Diagnostic> Diagnostics(params string[] sources) => Run(sources).Run.Diagnostics;
}
