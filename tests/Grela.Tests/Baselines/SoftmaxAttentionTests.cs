using FsCheck.Xunit;
using Grela.Ops.Baselines;
using TorchSharp;
using static Grela.Tests.Baselines.OperatorInputs;
using static TorchSharp.torch;

namespace Grela.Tests.Baselines;

public class SoftmaxAttentionTests
{
    [Property(MaxTest = 25)]
    public bool Causal_matches_the_explicit_loop(int seed, int rawB, int rawH, int rawL, int rawDh)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(uint)seed);
        var (b, h, l, dh) = (Size(rawB, 3), Size(rawH, 3), Size(rawL, 9), Size(rawDh, 5));
        var (q, k, v) = (Normal(g, b, h, l, dh), Normal(g, b, h, l, dh), Normal(g, b, h, l, dh));
        var valid = RightPaddedValid(g, b, l);
        return MaxDiff(SoftmaxAttention.Causal(q, k, v, valid), SoftmaxAttention.CausalReference(q, k, v, valid)) < 1e-12;
    }

    [Fact]
    public void Later_keys_and_values_do_not_change_earlier_outputs()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var (q, k, v) = (Normal(g, 2, 2, 8, 4), Normal(g, 2, 2, 8, 4), Normal(g, 2, 2, 8, 4));
        var valid = ones(2, 8, dtype: ScalarType.Bool);
        var before = SoftmaxAttention.Causal(q, k, v, valid);
        var (k2, v2) = (k.clone(), v.clone());
        k2[.., .., 5..] = Normal(g, 2, 2, 3, 4);
        v2[.., .., 5..] = Normal(g, 2, 2, 3, 4);
        var after = SoftmaxAttention.Causal(q, k2, v2, valid);
        Assert.True(MaxDiff(before[.., .., ..5], after[.., .., ..5]) == 0);
        Assert.True(MaxDiff(before[.., .., 5..], after[.., .., 5..]) > 1e-3);
    }

    [Fact]
    public void Padding_keys_get_no_weight()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var (q, k, v) = (Normal(g, 1, 1, 4, 3), Normal(g, 1, 1, 4, 3), Normal(g, 1, 1, 4, 3));
        var valid = tensor(new[] { true, false, true, true }).reshape(1, 4);
        var v2 = v.clone();
        v2[.., .., 1] = Normal(g, 1, 1, 3) * 100;
        var changed = SoftmaxAttention.Causal(q, k, v2, valid) - SoftmaxAttention.Causal(q, k, v, valid);
        Assert.True(changed[.., .., 2..].abs().max().item<double>() < 1e-12);
    }
}
