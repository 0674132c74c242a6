namespace Grela.Layers;

/// <summary>
/// The global switch of the runtime shape guards that generated modules run at each
/// <c>forward</c>. On by default; turn off for speed once a model is known to be wired right.
/// </summary>
public static class ShapeGuards
{
    private static volatile bool enabled = true;

    /// <summary>Whether generated modules check their tensor shapes at each call.</summary>
    public static bool Enabled
    {
        get => enabled;
        set => enabled = value;
    }
}
