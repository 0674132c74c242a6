using FsCheck.Xunit;
using Grela.Ops;
using Grela.Tests.Model.Reference;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Ops;

/// <summary>Linear attention against the explicit quadratic reference (float64, small random sizes).</summary>
public class LinearAttentionProperties
{
    sealed record Inputs(Tensor Q, Tensor K, Tensor Qr, Tensor Kr, Tensor V) : IDisposable
    {
        public void Dispose() { Q.Dispose(); K.Dispose(); Qr.Dispose(); Kr.Dispose(); V.Dispose(); }
    }

    static Inputs Make(int seed, long b, long h, long l, long d)
    {
        var g = Rng(seed);
        // qr, kr are independent of q, k here: the attention must not assume how they were made.
        return new Inputs(Positive(g, b, h, l, d), Positive(g, b, h, l, d), Normal(g, b, h, l, d), Normal(g, b, h, l, d), Normal(g, b, h, l, d));
    }

    static double[][] Head(Tensor t, int b, int h) => Rows(t[b, h]);

    /// <summary>[B, H, L, d] -> [B, L, H*d].</summary>
    static Tensor Merged(Tensor t) => t.transpose(1, 2).reshape(t.shape[0], t.shape[2], t.shape[1] * t.shape[3]);

    [Property(MaxTest = 40)]
    public void Global_equals_quadratic_reference(int seed, byte bs, byte hs, byte ls, byte ds)
    {
        long b = 1 + bs % 2, h = 1 + hs % 3, l = 1 + ls % 13, d = 1 + ds % 5;
        using var scope = torch.NewDisposeScope();
        using var x = Make(seed, b, h, l, d);
        // Global works in the merged layout [B, L, H*d].
        var actual = LinearAttention.Global(Merged(x.Q), Merged(x.K), Merged(x.Qr), Merged(x.Kr), Merged(x.V), (int)h);
        for (int i = 0; i < b; i++)
            for (int j = 0; j < h; j++)
                Close(ReferenceRela.Global(Head(x.Q, i, j), Head(x.K, i, j), Head(x.Qr, i, j), Head(x.Kr, i, j), Head(x.V, i, j)),
                    actual[i, .., (int)(j * d)..(int)((j + 1) * d)], 1e-9, $"global b{i} h{j}");
    }

    [Property(MaxTest = 60)]
    public void Causal_equals_lower_triangular_reference(int seed, byte bs, byte hs, byte ls, byte ds, byte cs, bool padded)
    {
        long b = 1 + bs % 2, h = 1 + hs % 3, l = 1 + ls % 17, d = 1 + ds % 5;
        var chunk = 1 + cs % 7;
        using var scope = torch.NewDisposeScope();
        using var x = Make(seed, b, h, l, d);
        var g = Rng(seed ^ 0x5bd1e995);
        var mask = padded ? torch.rand([b, l], ScalarType.Float64, generator: g).gt(0.3) : null;
        var actual = LinearAttention.Causal(x.Q, x.K, x.Qr, x.Kr, x.V, mask, chunk);
        for (int i = 0; i < b; i++)
        {
            var real = mask is null ? Enumerable.Repeat(true, (int)l).ToArray() : Vector(mask[i]).Select(r => r > 0).ToArray();
            for (int j = 0; j < h; j++)
                Close(ReferenceRela.Causal(Head(x.Q, i, j), Head(x.K, i, j), Head(x.Qr, i, j), Head(x.Kr, i, j), Head(x.V, i, j), real),
                    actual[i, j], 1e-9, $"causal b{i} h{j} chunk {chunk}");
        }
    }

    [Property(MaxTest = 30)]
    public void Causal_at_the_last_position_equals_global_over_the_whole_window(int seed, byte ls, byte cs)
    {
        long l = 1 + ls % 20;
        using var scope = torch.NewDisposeScope();
        using var x = Make(seed, 2, 2, l, 4);
        var causal = LinearAttention.Causal(x.Q, x.K, x.Qr, x.Kr, x.V, chunk: 1 + cs % 9).select(2, l - 1);
        var global = LinearAttention.Global(Merged(x.Q), Merged(x.K), Merged(x.Qr), Merged(x.Kr), Merged(x.V), 2)
            .select(1, l - 1).view(2, 2, 4);
        Close(global, causal, 1e-9, "last position");
    }

    [Property(MaxTest = 30)]
    public void Stepping_the_state_equals_the_chunked_causal_form(int seed, byte ls, byte cs)
    {
        long b = 2, h = 2, l = 1 + ls % 15, d = 3;
        using var scope = torch.NewDisposeScope();
        using var x = Make(seed, b, h, l, d);
        var parallel = LinearAttention.Causal(x.Q, x.K, x.Qr, x.Kr, x.V, chunk: 1 + cs % 6);
        var s = torch.zeros([b, h, d, d], ScalarType.Float64);
        var z = torch.zeros([b, h, d], ScalarType.Float64);
        var count = torch.zeros([b], ScalarType.Int64);
        for (long t = 0; t < l; t++)
        {
            var (y, s2, z2) = LinearAttention.Step(s, z, count, x.Q.select(2, t), x.K.select(2, t), x.Qr.select(2, t), x.Kr.select(2, t), x.V.select(2, t));
            Close(parallel.select(2, t), y, 1e-9, $"step {t}");
            (s, z, count) = (s2, z2, count + 1);
        }
    }

    [Theory]
    [InlineData(200, 32, 25)]
    [InlineData(200, 20, 20)]
    [InlineData(64, 32, 32)]
    [InlineData(97, 32, 32)]
    [InlineData(5, 32, 5)]
    public void Chunk_size_prefers_a_divisor_of_the_length(long length, int chunk, long expected) =>
        Assert.Equal(expected, LinearAttention.ChunkFor(length, chunk));
}
