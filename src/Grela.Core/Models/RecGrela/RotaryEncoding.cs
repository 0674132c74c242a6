using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// RoPE over the full width with the official buffer <c>rotations</c> [MaxLength, Dim/2, 2]
/// ((cos, sin) of m theta_i, built in float32 like the official table). A state-only layer: it has
/// no forward; the attention reads its table (<see cref="TableFor"/>, <see cref="ComplexForRows"/>).
/// Dim is even: the encoding turns channel pairs (2i, 2i+1), and an odd width would leave the last
/// channel without a partner.
/// </summary>
[Layer]
public sealed partial record RotaryEncoding([Positive] int MaxLength, [Positive, MultipleOf(2)] int Dim)
{
    /// <summary>The official table for positions 0..MaxLength-1.</summary>
    [Buffer("rotations")]
    public Tensor Rotations() => Ops.Rope.Table(MaxLength, Dim);

    /// <summary>
    /// The table for positions 0..length-1: the buffer (or its first rows); past MaxLength (causal
    /// mode only) the same formula extends it.
    /// </summary>
    [return: Shape("length Dim/2 2")]
    public Tensor TableFor(Module m, long length) =>
        length <= MaxLength ? m.Rotations.narrow(0, 0, length) : Ops.Rope.Table((int)length, Dim, device: m.Rotations.device);

    /// <summary>
    /// Complex rotations (see <see cref="Ops.Rope.AsComplex"/>) for positions [B, L] (each below L) ->
    /// [B, L, Dim/2]: rows of the table for 0..L-1, gathered per row.
    /// </summary>
    [return: Shape("B L Dim/2")]
    public Tensor ComplexForRows(Module m, [Shape("B L")] Tensor positions, ScalarType dtype)
    {
        using var rotations = Ops.Rope.AsComplex(TableFor(m, positions.shape[^1]), dtype);
        return rotations.index_select(0, positions.reshape(-1)).view([.. positions.shape, Dim / 2]);
    }

    /// <summary>The table at arbitrary positions [P...] -> [P..., Dim/2, 2], equal to the buffer's rows below MaxLength.</summary>
    public Tensor TableAt(Tensor positions) => Ops.Rope.TableAt(positions, Dim);
}
