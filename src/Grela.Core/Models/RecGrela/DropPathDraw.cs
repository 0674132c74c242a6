namespace Grela.Models.RecGrela;

/// <summary>How often drop path draws whether a block's attention branch is dropped in training.</summary>
public enum DropPathDraw
{
    /// <summary>Once per sequence: the branch goes for every position of it (the usual stochastic depth).</summary>
    Sequence,
    /// <summary>Once per position: the one-pass analogue of the official draw per prefix sample.</summary>
    Position,
}

/// <summary>
/// <see cref="DropPathDraw"/> as config files, config.json and the command line spell it (key
/// `drop-path-draw`). The shell parses the spelling once, here, and compares the enum from then on.
/// </summary>
public static class DropPathDrawNames
{
    /// <summary>The spellings, in enum order: sequence (the default), position.</summary>
    public static readonly IReadOnlyList<string> Names = ["sequence", "position"];

    /// <summary>The choice spelt <paramref name="name"/>, exactly as <see cref="Names"/> spells it.</summary>
    public static DropPathDraw Parse(string name) => name switch
    {
        "sequence" => DropPathDraw.Sequence,
        "position" => DropPathDraw.Position,
        _ => throw new ArgumentException($"drop-path-draw: expected one of {string.Join(", ", Names)}, got \"{name}\"", nameof(name)),
    };
}
