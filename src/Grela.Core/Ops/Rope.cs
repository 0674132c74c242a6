using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Ops;

/// <summary>
/// Rotary position encoding over the full width D: the adjacent pair (2i, 2i+1) of a vector at
/// position m is read as a complex number and multiplied by e^{j m theta_i}, theta_i = base^(-2i/D).
/// Tables hold (cos, sin) as [..., D/2, 2], the layout of the official <c>rope.rotations</c> buffer.
/// </summary>
public static class Rope
{
    private static readonly FunctionShapes applyShapes = FunctionShapes.Of(typeof(Rope), nameof(Apply));
    private static readonly FunctionShapes asComplexShapes = FunctionShapes.Of(typeof(Rope), nameof(AsComplex));
    private static readonly FunctionShapes applyComplexShapes = FunctionShapes.Of(typeof(Rope), nameof(ApplyComplex));

    /// <summary>Default base of the rotation frequencies.</summary>
    public const double Base = 10000;

    /// <summary>theta_i = 1 / base^(i / (D/2)) for i in [0, D/2), computed as the official code does.</summary>
    public static Tensor Frequencies(int dim, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (dim <= 0 || dim % 2 != 0)
            throw new ArgumentException($"RoPE needs a positive even width, got {dim}.", nameof(dim));
        var half = dim / 2;
        using var exponent = torch.arange(half, dtype, device) / half;
        using var powers = torch.full_like(exponent, Base).pow(exponent);
        return powers.reciprocal();
    }

    /// <summary>
    /// (cos, sin) of m * theta_i for the given positions (any shape P, integer) -> [P..., D/2, 2].
    /// Angles are formed in <paramref name="dtype"/> (float32 like the official table), so a row of
    /// <see cref="Table"/> and <see cref="TableAt"/> at the same position are equal.
    /// </summary>
    [return: Shape("... dim/2 2")]
    public static Tensor TableAt([Shape("...")] Tensor positions, int dim, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = torch.NewDisposeScope();
        var theta = Frequencies(dim, dtype, positions.device);
        var angles = positions.to_type(dtype).unsqueeze(-1) * theta;
        return torch.stack([angles.cos(), angles.sin()], -1).MoveToOuterDisposeScope();
    }

    /// <summary>The table for positions 0..count-1: [count, D/2, 2] (the official buffer when float32).</summary>
    [return: Shape("count dim/2 2")]
    public static Tensor Table(int count, int dim, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        using var positions = torch.arange(count, ScalarType.Int64, device);
        return TableAt(positions, dim, dtype);
    }

    /// <summary>
    /// Rotates x [..., L, D] by a table broadcastable to [..., L, D/2, 2]; returns [..., L, D] in x's dtype.
    /// </summary>
    [return: Shape("... D")]
    public static Tensor Apply([Shape("... D")] Tensor x, [Shape("... D/2 2")] Tensor table)
    {
        applyShapes.Check([x, table]);
        using var rotations = AsComplex(table, x.dtype);
        return ApplyComplex(x, rotations);
    }

    /// <summary>
    /// A (cos, sin) table [..., D/2, 2] as the unit complex numbers e^{j angle} [..., D/2] that
    /// <see cref="ApplyComplex"/> multiplies by, in the complex type of <paramref name="dtype"/>.
    /// </summary>
    [return: Shape("... D")]
    public static Tensor AsComplex([Shape("... D 2")] Tensor table, ScalarType dtype)
    {
        asComplexShapes.Check([table]);
        using var scope = torch.NewDisposeScope();
        // view_as_complex needs the (cos, sin) pairs contiguous; to_type copies, contiguous may not.
        var t = table.dtype == dtype ? table.contiguous() : table.to_type(dtype);
        return torch.view_as_complex(t).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x [..., D] rotated by unit complex numbers broadcastable to [..., D/2]: each pair (a, b) of x,
    /// read as a + jb, is multiplied by its e^{j angle}, giving (a c - b s, b c + a s). One complex
    /// multiply (forward and backward) instead of a pair swap and two real multiplies: several
    /// times faster on the CPU, and the official code's formula.
    /// </summary>
    [return: Shape("... D")]
    public static Tensor ApplyComplex([Shape("... D")] Tensor x, [Shape("... D/2")] Tensor rotations)
    {
        applyComplexShapes.Check([x, rotations]);
        using var scope = torch.NewDisposeScope();
        var d = x.shape[^1];
        var pairs = torch.view_as_complex(x.reshape([.. x.shape[..^1], d / 2, 2]));
        return torch.view_as_real(pairs * rotations).view(x.shape).MoveToOuterDisposeScope();
    }
}
