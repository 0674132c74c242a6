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
    private static readonly Text.Spellings<DropPathDraw> Spelt = new("drop-path-draw",
        ("sequence", DropPathDraw.Sequence), ("position", DropPathDraw.Position));

    /// <summary>The spellings: sequence (the default), position.</summary>
    public static IReadOnlyList<string> Names => Spelt.Names;

    public static DropPathDraw Parse(string name) => Spelt.Parse(name);
}
