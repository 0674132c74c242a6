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
    public static Tensor TableAt(Tensor positions, int dim, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = torch.NewDisposeScope();
        var theta = Frequencies(dim, dtype, positions.device);
        var angles = positions.to_type(dtype).unsqueeze(-1) * theta;
        return torch.stack([angles.cos(), angles.sin()], -1).MoveToOuterDisposeScope();
    }

    /// <summary>The table for positions 0..count-1: [count, D/2, 2] (the official buffer when float32).</summary>
    public static Tensor Table(int count, int dim, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        using var positions = torch.arange(count, ScalarType.Int64, device);
        return TableAt(positions, dim, dtype);
    }

    /// <summary>
    /// Rotates x [..., L, D] by a table broadcastable to [..., L, D/2, 2]; returns [..., L, D] in x's dtype.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor table)
    {
        using var expanded = Expand(table, x.dtype);
        return ApplyExpanded(x, expanded);
    }

    /// <summary>
    /// A (cos, sin) table [..., D/2, 2] in the full-width form [..., 2, D] that
    /// <see cref="ApplyExpanded"/> uses: row 0 = (c_0, c_0, c_1, c_1, ...), row 1 = (-s_0, s_0, -s_1, s_1, ...).
    /// </summary>
    public static Tensor Expand(Tensor table, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var t = table.dtype == dtype ? table : table.to_type(dtype);
        var cos = t.select(-1, 0);
        var sin = t.select(-1, 1);
        var width = cos.shape[^1] * 2;
        long[] flat = [.. cos.shape[..^1], width];
        var cosFull = torch.stack([cos, cos], -1).view(flat);
        var sinFull = torch.stack([-sin, sin], -1).view(flat);
        return torch.stack([cosFull, sinFull], -2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x [..., D] rotated by an expanded table broadcastable to [..., 2, D]: x * cos' + swap(x) * sin',
    /// where swap exchanges the two members of every pair: (a, b) -> (b, a), so pair i becomes
    /// (a c - b s, b c + a s), the complex product (a + jb) e^{j angle}.
    /// </summary>
    public static Tensor ApplyExpanded(Tensor x, Tensor expanded)
    {
        using var scope = torch.NewDisposeScope();
        var d = x.shape[^1];
        var swapped = x.view([.. x.shape[..^1], d / 2, 2]).flip(-1).view(x.shape);
        var rotated = x * expanded.select(-2, 0);
        return rotated.addcmul_(swapped, expanded.select(-2, 1), 1).MoveToOuterDisposeScope();
    }
}
