using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Grela.Layers;

namespace Grela.Tests.Architecture;

/// <summary>
/// Issue 12: every public static function in Grela.Core with a [Shape] on a parameter checks its
/// arguments at run time. The guard is a field built by <c>FunctionShapes.Of(typeof(X), nameof(M))</c>
/// and used with <c>.Check(</c> in the same file; found by reflection over Core's public static
/// methods and a scan of the real sources (the approach of <see cref="LayeringTests"/>).
/// </summary>
public sealed partial class FunctionGuardTests
{
    /// <summary>Functions that deliberately have no guard, as "Type.Method", each with its reason.</summary>
    private static readonly Dictionary<string, string> unguarded = new(StringComparer.Ordinal)
    {
        ["Rope.TableAt"] = "positions is [Shape(\"...\")]: every shape fits, so a guard could reject nothing.",
    };

    private static string Core([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "src", "Grela.Core"));

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Core(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Core(), f).StartsWith("obj", StringComparison.Ordinal)
                && !Path.GetRelativePath(Core(), f).StartsWith("bin", StringComparison.Ordinal))
            .Select(File.ReadAllText);

    /// <summary>"Type.Method" of each public static Core method with a [Shape] parameter.</summary>
    private static HashSet<string> ShapedFunctions() =>
        typeof(ShapeAttribute).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<ShapeAttribute>() is not null))
            .Select(m => m.DeclaringType!.Name + "." + m.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>"Type.Method" of each guard field that its file also uses with .Check(.</summary>
    private static HashSet<string> GuardedFunctions() =>
        Sources()
            .SelectMany(text => GuardField().Matches(text)
                .Where(m => text.Contains(m.Groups["field"].Value + ".Check(", StringComparison.Ordinal))
                .Select(m => m.Groups["type"].Value + "." + m.Groups["method"].Value))
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Core_has_shaped_functions_and_guards_this_test_reads()
    {
        Assert.Contains("LinearAttention.Causal", ShapedFunctions());
        Assert.Contains("LinearAttention.Causal", GuardedFunctions());
    }

    [Fact]
    public void Every_public_static_function_with_a_Shape_parameter_has_a_runtime_guard()
    {
        var guarded = GuardedFunctions();
        var missing = ShapedFunctions()
            .Where(f => !guarded.Contains(f) && !unguarded.ContainsKey(f))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_list_of_unguarded_functions_names_only_real_unguarded_functions()
    {
        var shaped = ShapedFunctions();
        var guarded = GuardedFunctions();
        var stale = unguarded.Keys.Where(f => !shaped.Contains(f) || guarded.Contains(f)).ToList();
        Assert.Empty(stale);
    }

    /// <summary><c>field = FunctionShapes.Of(typeof(X), nameof(M))</c>.</summary>
    [GeneratedRegex(@"(?<field>\w+)\s*=\s*FunctionShapes\.Of\(typeof\((?<type>\w+)\),\s*nameof\((?<method>\w+)\)\)")]
    private static partial Regex GuardField();
}
