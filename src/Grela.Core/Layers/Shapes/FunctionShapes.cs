using System.Reflection;
using TorchSharp;

namespace Grela.Layers;

/// <summary>
/// The runtime guard of a static tensor function whose parameters carry <see cref="ShapeAttribute"/>
/// (the functions in <c>Grela.Ops</c>, the streaming steps): the patterns are read once from the
/// method's own attributes, so the signature the build checks is the one the guard checks.
/// Messages name the function, e.g. <c>LinearAttention.Causal: k expected [B, H, L, Dh], got [2, 2, 5, 8] (B=2, H=2, L=5, Dh=4)</c>.
/// </summary>
public sealed class FunctionShapes
{
    private static readonly IReadOnlyDictionary<string, long> noDims = new Dictionary<string, long>();
    private readonly string function;
    private readonly (string Name, ShapePattern Pattern)[] parameters;

    private FunctionShapes(string function, (string Name, ShapePattern Pattern)[] parameters)
    {
        this.function = function;
        this.parameters = parameters;
    }

    /// <summary>The guard of the public static method <paramref name="method"/> of <paramref name="type"/> (one overload only).</summary>
    public static FunctionShapes Of(Type type, string method)
    {
        var info = type.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentException($"{type.Name} has no public static method {method}.", nameof(method));
        var shaped = info.GetParameters()
            .Where(p => p.ParameterType == typeof(torch.Tensor) && p.GetCustomAttribute<ShapeAttribute>() is not null)
            .Select(p => (p.Name!, ShapePattern.Parse(p.GetCustomAttribute<ShapeAttribute>()!.Pattern)))
            .ToArray();
        return new FunctionShapes(type.Name + "." + method, shaped);
    }

    /// <summary>
    /// Checks <paramref name="tensors"/>, the values of the [Shape]d tensor parameters in declared
    /// order (a null one is skipped), with one binding environment in which <paramref name="dims"/>
    /// (int arguments named in the patterns) are fixed. Reads shapes only. Returns the guard, so a
    /// caller can check more tensors under the same bindings, or null when
    /// <see cref="ShapeGuards.Enabled"/> is off.
    /// </summary>
    /// <exception cref="ShapeMismatchException">A tensor does not fit its pattern.</exception>
    public ShapeGuard? Check(ReadOnlySpan<torch.Tensor?> tensors, params ReadOnlySpan<(string Name, long Value)> dims)
    {
        if (!ShapeGuards.Enabled) return null;
        if (tensors.Length != parameters.Length)
            throw new ArgumentException($"{function} declares {parameters.Length} shaped tensors, {tensors.Length} were given to its guard.", nameof(tensors));
        var bound = noDims;
        if (dims.Length > 0)
        {
            var given = new Dictionary<string, long>(dims.Length, StringComparer.Ordinal);
            foreach (var (name, value) in dims) given[name] = value;
            bound = given;
        }
        var guard = new ShapeGuard(function, bound);
        for (var i = 0; i < tensors.Length; i++)
        {
            if (tensors[i] is { } tensor) guard.Check(parameters[i].Name, tensor, parameters[i].Pattern);
        }
        return guard;
    }
}
