using FsCheck.Xunit;
using Grela.Ops;
using Grela.Tests.Model.Reference;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Ops;

/// <summary>RoPE: matches the per-pair reference, is relative, preserves norms, is the identity at 0.</summary>
public class RopeProperties
{
    static Tensor Rotate(Tensor x, long position) // x [D] at one position
    {
        using var p = torch.tensor(new long[] { position });
        using var table = Rope.TableAt(p, (int)x.shape[0], ScalarType.Float64);
        return Rope.Apply(x.unsqueeze(0), table).squeeze(0);
    }

    [Property(MaxTest = 40)]
    public void Apply_equals_the_reference_rotation(int seed, byte ds, byte ls)
    {
        int d = 2 * (1 + ds % 8), l = 1 + ls % 30;
        using var scope = torch.NewDisposeScope();
        var x = Normal(Rng(seed), 2, l, d);
        var rotated = Rope.Apply(x, Rope.Table(l, d, ScalarType.Float64));
        for (int b = 0; b < 2; b++)
        {
            var rows = Rows(x[b]);
            Close(rows.Select((r, m) => ReferenceRope.Rotate(r, m)).ToArray(), rotated[b], 1e-12, $"row {b}");
        }
    }

    [Property(MaxTest = 20)]
    public void Gradient_is_the_inverse_rotation_of_the_upstream_gradient(int seed, byte ds, byte ls)
    {
        // d/dx sum(w * R x) = R^T w: the complex multiply's backward must rotate back.
        int d = 2 * (1 + ds % 8), l = 1 + ls % 30;
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var x = Normal(g, 3, l, 2, d).requires_grad_(true);
        var w = Normal(g, 3, l, 2, d);
        var table = Rope.Table(l, d, ScalarType.Float64);
        (Rope.Apply(x, table.unsqueeze(1)) * w).sum().backward();
        var inverse = torch.stack([table.select(-1, 0), -table.select(-1, 1)], -1);
        Close(Rope.Apply(w, inverse.unsqueeze(1)), x.grad!, 1e-12);
    }

    [Property(MaxTest = 20)]
    public void Apply_reads_strided_views_like_their_copies(int seed, byte ds, byte ls)
    {
        int d = 2 * (1 + ds % 8), l = 1 + ls % 30;
        using var scope = torch.NewDisposeScope();
        var x = Normal(Rng(seed), 2, l, 2, d).to_type(ScalarType.Float32);
        var table = Rope.Table(l, d);
        var view = x.select(2, 1);                                    // [2, l, d], not contiguous
        // Equal up to float32 rounding (the kernels may vectorise the two layouts differently).
        Close(Rope.Apply(view.contiguous(), table).to_type(ScalarType.Float64), Rope.Apply(view, table).to_type(ScalarType.Float64), 1e-6);
    }

    [Property(MaxTest = 40)]
    public void Score_depends_only_on_the_distance(int seed, byte ds, ushort ms, ushort ns, ushort shift)
    {
        int d = 2 * (1 + ds % 8);
        long m = ms % 500, n = ns % 500, s = shift % 500;
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var q = Normal(g, d);
        var k = Normal(g, d);
        var before = Rotate(q, m).dot(Rotate(k, n)).item<double>();
        var after = Rotate(q, m + s).dot(Rotate(k, n + s)).item<double>();
        Assert.True(Math.Abs(before - after) <= 1e-9 * (1 + Math.Abs(before)), $"score at ({m},{n}) = {before}, shifted by {s}: {after}");
    }

    [Property(MaxTest = 40)]
    public void Rotation_preserves_norms(int seed, byte ds, ushort ms)
    {
        int d = 2 * (1 + ds % 8);
        using var scope = torch.NewDisposeScope();
        var x = Normal(Rng(seed), d);
        var before = x.norm().item<double>();
        var after = Rotate(x, ms).norm().item<double>();
        Assert.True(Math.Abs(before - after) <= 1e-12 * (1 + before), $"norm {before} became {after} at position {ms}");
    }

    [Property(MaxTest = 20)]
    public void Position_zero_is_the_identity(int seed, byte ds)
    {
        int d = 2 * (1 + ds % 8);
        using var scope = torch.NewDisposeScope();
        var x = Normal(Rng(seed), d);
        Assert.True(Identical(x, Rotate(x, 0)), "rotation at position 0 changed the vector");
    }

    [Fact]
    public void Float32_table_is_built_like_the_official_buffer()
    {
        // theta_i = 1 / 10000^(i / (D/2)) in float32; row m = (cos, sin)(m * theta_i).
        using var table = Rope.Table(5, 8);
        Assert.Equal(new long[] { 5, 4, 2 }, table.shape);
        Assert.Equal(ScalarType.Float32, table.dtype);
        for (int m = 0; m < 5; m++)
            for (int i = 0; i < 4; i++)
            {
                var theta = 1f / MathF.Pow(10000f, i / 4f);
                Assert.Equal(MathF.Cos(m * theta), table[m, i, 0].item<float>(), 6);
                Assert.Equal(MathF.Sin(m * theta), table[m, i, 1].item<float>(), 6);
            }
    }
}
