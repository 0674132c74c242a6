using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// RoPE over the full width with the official buffer <c>rotations</c> [MaxLength, Dim/2, 2]
/// ((cos, sin) of m theta_i, built in float32 like the official table).
/// </summary>
public sealed partial record RotaryEncoding(int MaxLength, int Dim)
{
    /// <summary>The official table for positions 0..MaxLength-1.</summary>
    public Tensor Rotations() => Ops.Rope.Table(MaxLength, Dim);

    /// <summary>Rotates x [B, L, Dim] at positions 0..L-1.</summary>
    public Tensor Forward(Module m, Tensor x) => Ops.Rope.Apply(x, TableFor(m, x.shape[^2]));

    /// <summary>
    /// The table for positions 0..length-1: the buffer (or its first rows); past MaxLength (causal
    /// mode only) the same formula extends it.
    /// </summary>
    public Tensor TableFor(Module m, long length) =>
        length <= MaxLength ? m.Rotations.narrow(0, 0, length) : Ops.Rope.Table((int)length, Dim, device: m.Rotations.device);

    /// <summary>The table at arbitrary positions [P...] -> [P..., Dim/2, 2], equal to the buffer's rows below MaxLength.</summary>
    public Tensor TableAt(Tensor positions) => Ops.Rope.TableAt(positions, Dim);
}
