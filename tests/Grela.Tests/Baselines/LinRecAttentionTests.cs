using FsCheck.Xunit;
using Grela.Ops.Baselines;
using TorchSharp;
using static Grela.Tests.Baselines.OperatorInputs;
using static TorchSharp.torch;

namespace Grela.Tests.Baselines;

public class LinRecAttentionTests
{
    [Property(MaxTest = 25)]
    public bool Chunked_causal_form_matches_the_quadratic_form(int seed, int rawB, int rawL, int rawDh, int rawChunk)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(uint)seed);
        var (b, h, l, dh, chunk) = (Size(rawB, 3), 2, Size(rawL, 12), Size(rawDh, 5), Size(rawChunk, 6));
        var (q, k, v) = (Normal(g, b, h, l, dh), Normal(g, b, h, l, dh), Normal(g, b, h, l, dh));
        var valid = RightPaddedValid(g, b, l);
        return MaxDiff(LinRecAttention.Causal(q, k, v, valid, chunk), LinRecAttention.CausalQuadratic(q, k, v, valid)) < 1e-12;
    }

    [Fact]
    public void Features_are_unit_vectors_per_token()
    {
        using var scope = NewDisposeScope();
        var f = LinRecAttention.Features(Normal(new Generator(3), 2, 4, 6, 8));
        Assert.True(MaxDiff(f.norm(-1), ones(2, 4, 6, dtype: ScalarType.Float64)) < 1e-12);
    }

    [Fact]
    public void Causal_output_at_the_last_real_position_equals_the_official_global_form()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var (q, k, v) = (Normal(g, 3, 2, 7, 4), Normal(g, 3, 2, 7, 4), Normal(g, 3, 2, 7, 4));
        var lengths = new long[] { 7, 4, 1 };
        var valid = arange(7).unsqueeze(0) < tensor(lengths).unsqueeze(1);
        var causal = LinRecAttention.Causal(q, k, v, valid, chunk: 3);
        for (var row = 0; row < 3; row++)
        {
            var n = (int)lengths[row];
            var sl = TensorIndex.Slice(row, row + 1);
            var global = LinRecAttention.Global(q[sl, .., ..n], k[sl, .., ..n], v[sl, .., ..n], valid[sl, ..n]);
            Assert.True(MaxDiff(causal[sl, .., n - 1], global[.., .., n - 1]) < 1e-12);
        }
    }
}
