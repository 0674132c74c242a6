namespace Grela.Layers;

/// <summary>
/// A tensor reached a module with a shape its declared pattern does not allow. The message names
/// the module path, the parameter, the expected pattern, the actual shape and the bindings so far,
/// e.g. <c>GRELA_block[2].attn: x expected [B, L, D=64], got [32, 200, 128] (B=32, L=200)</c>.
/// </summary>
public sealed class ShapeMismatchException(string modulePath, string parameter, string message) : Exception(message)
{
    /// <summary>Path of the module whose guard failed.</summary>
    public string ModulePath { get; } = modulePath;

    /// <summary>The parameter (or <c>return</c>) whose shape was wrong.</summary>
    public string Parameter { get; } = parameter;
}
