namespace Grela.Models.RecGrela;

/// <summary>
/// One block's streaming state for one user as arrays, laid out as the tensors of
/// <see cref="BlockStreamState"/> with B = 1: S [H, d, d], z [H, d], the conv tail [K-1, Dim] (oldest first).
/// </summary>
public sealed record ManagedBlockState(float[] S, float[] Z, float[] ConvTail);

/// <summary>
/// One user's causal RecGRELA streaming state held in arrays (<see cref="ManagedStreaming"/>): the
/// number of real items seen, the hidden state after the last one and the per-block sums. A value:
/// nothing writes to its arrays after the step that made them, so an old state stays valid.
/// </summary>
public sealed record ManagedStreamState(long Position, float[] Hidden, IReadOnlyList<ManagedBlockState> Blocks)
{
    /// <summary>The float arrays in the order of <see cref="StreamStateParts.Parts"/>: hidden, then per block S, z and the conv tail.</summary>
    public IEnumerable<float[]> Parts()
    {
        yield return Hidden;
        foreach (var b in Blocks)
        {
            yield return b.S;
            yield return b.Z;
            yield return b.ConvTail;
        }
    }

    /// <summary>The state made of <paramref name="parts"/> in <see cref="Parts"/> order.</summary>
    public static ManagedStreamState FromParts(long position, IReadOnlyList<float[]> parts) =>
        parts.Count % 3 != 1
            ? throw new ArgumentException($"expected the hidden state and three arrays per block, got {parts.Count} arrays", nameof(parts))
            : new(position, parts[0], [.. Enumerable.Range(0, parts.Count / 3).Select(b => new ManagedBlockState(parts[1 + 3 * b], parts[2 + 3 * b], parts[3 + 3 * b]))]);
}
