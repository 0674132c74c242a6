using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grela.Generators.Tests;

/// <summary>The pipeline caches by value: an unrelated edit regenerates nothing, and no step holds Roslyn objects.</summary>
public class CacheabilityTests
{
    private const string Layer = GeneratorHarness.Usings + """
        namespace Demo;

        [Layer]
        public sealed partial record Mlp([Positive] int Dim)
        {
            [Sub("fc1")] public Linear Fc1 => new(Dim, Dim * 4);
            [Sub("fc2")] public Linear Fc2 => new(Dim * 4, Dim);

            [Forward]
            [return: Shape("B Dim")]
            public Tensor Forward(Module m, [Shape("B Dim")] Tensor x) => m.Fc2.forward(gelu(m.Fc1.forward(x)));
        }

        [Leaf(Input = "... In", Output = "... Out")]
        public sealed partial record Proj([Positive] int In, [Positive] int Out) : ILeaf<TorchSharp.Modules.Linear>
        {
            public TorchSharp.Modules.Linear Create(string path) => torch.nn.Linear(In, Out);
        }

        public static class Factory
        {
            public static Mlp Make() => new Mlp(0);
        }
        """;

    private static readonly string[] TrackedSteps =
        [LayerGenerator.Steps.Layers, LayerGenerator.Steps.Leaves, LayerGenerator.Steps.Constructions];

    [Fact]
    public void UnrelatedEditRegeneratesNothing()
    {
        var compilation = GeneratorHarness.Compile(Layer, "namespace Demo; public static class Other { public static int One => 1; }");
        var driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.NotEmpty(first.GeneratedSources);
        Assert.Contains(first.Diagnostics, d => d.Id == "GRELA004"); // the constructions step produced something

        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int Two => 2; }", (CSharpParseOptions)unrelated.Options, unrelated.FilePath));
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), "step " + step + " was not tracked");
            foreach (var run in second.TrackedSteps[step])
            {
                foreach (var (_, reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + " output was " + reason);
                }
            }
        }
        foreach (var (_, reason) in second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, "an output step was " + reason);
        }
    }

    [Fact]
    public void NoStepHoldsSymbolsOrSyntax()
    {
        var compilation = GeneratorHarness.Compile(Layer);
        var result = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();
        var checkedValues = 0;
        foreach (var step in TrackedSteps)
        {
            foreach (var run in result.TrackedSteps[step])
            {
                foreach (var (value, _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    checkedValues++;
                }
            }
        }
        Assert.True(checkedValues >= 2);
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or SyntaxToken,
            path + " holds a " + value.GetType().Name);
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertNoRoslynObjects(item, path + "[" + i++ + "]", seen);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsPointer) continue;
            AssertNoRoslynObjects(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
