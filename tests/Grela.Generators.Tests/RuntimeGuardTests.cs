using System.Reflection;
using Grela.Layers;
using LanguageExt;

namespace Grela.Generators.Tests;

/// <summary>
/// The generated Violations and Build of a compiled layer: what guards arguments that are no
/// compile-time constants (read from a config, say), where the construction check cannot see them.
/// </summary>
public class RuntimeGuardTests
{
    private static readonly Lazy<Type> rotary = new(() => GeneratorHarness.Load(GeneratorHarness.Usings + """
        namespace Demo;

        [Layer]
        public sealed partial record RotaryAttention([Positive] int Dim, [Positive, Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads)
        {
            [Sub("qk")] public Linear Qk => new(Dim, Dim * 2);

            [Forward]
            public Tensor Forward(Module m, Tensor x) => m.Qk.forward(x);
        }
        """).GetType("Demo.RotaryAttention", throwOnError: true)!);

    private static readonly Lazy<Type> pairs = new(() => GeneratorHarness.Load(GeneratorHarness.Usings + """
        namespace Demo;

        [Layer]
        public sealed partial record Pairs([Positive] int MaxLength, [Positive, MultipleOf(2)] int Dim)
        {
            [Buffer("table")] public Tensor Values() => ones(MaxLength, Dim);
        }
        """).GetType("Demo.Pairs", throwOnError: true)!);

    private static object Layer(int dim, int heads) => Activator.CreateInstance(rotary.Value, dim, heads)!;

    private static string[] Violations(int dim, int heads) =>
        [.. (Seq<string>)rotary.Value.GetMethod("Violations")!.Invoke(Layer(dim, heads), [""])!];

    [Fact]
    public void AQuotientThatIsNotAMultipleIsReportedWithBothDimsAndValues()
    {
        Assert.Equal(["Dim / Heads must be a multiple of 2, got 60 / 4 = 15"], Violations(60, 4));
        Assert.Empty(Violations(64, 4));
        // Where the head count does not divide at all, that is the one message.
        Assert.Equal(["Heads must divide Dim (60), got 7"], Violations(60, 7));
    }

    [Fact]
    public void BuildThrowsBeforeAnyModuleIsMade()
    {
        var build = rotary.Value.GetMethod("Build")!;
        var thrown = Assert.Throws<TargetInvocationException>(() => build.Invoke(Layer(60, 4), [null]));
        var invalid = Assert.IsType<InvalidLayerException>(thrown.InnerException);
        Assert.Equal("invalid RotaryAttention hyperparameters:\n  - Dim / Heads must be a multiple of 2, got 60 / 4 = 15", invalid.Message);
    }

    [Fact]
    public void AValueThatIsNotAMultipleIsReportedWithTheFactorAndTheValue()
    {
        string[] Violations(int dim) =>
            [.. (Seq<string>)pairs.Value.GetMethod("Violations")!.Invoke(Activator.CreateInstance(pairs.Value, 8, dim), [""])!];

        Assert.Equal(["Dim must be a multiple of 2, got 15"], Violations(15));
        Assert.Empty(Violations(16));
        // Each rule reports on its own: a negative odd width breaks both.
        Assert.Equal(["Dim must be positive, got -3", "Dim must be a multiple of 2, got -3"], Violations(-3));

        var build = pairs.Value.GetMethod("Build")!;
        var thrown = Assert.Throws<TargetInvocationException>(() => build.Invoke(Activator.CreateInstance(pairs.Value, 8, 15), [null]));
        var invalid = Assert.IsType<InvalidLayerException>(thrown.InnerException);
        Assert.Equal("invalid Pairs hyperparameters:\n  - Dim must be a multiple of 2, got 15", invalid.Message);
    }
}
