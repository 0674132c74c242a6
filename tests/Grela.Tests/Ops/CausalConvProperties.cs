using FsCheck.Xunit;
using Grela.Ops;
using Grela.Tests.Model.Reference;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Ops;

/// <summary>The causal depthwise convolution: reference, causality, streaming.</summary>
public class CausalConvProperties
{
    [Property(MaxTest = 40)]
    public void Forward_equals_the_reference(int seed, byte ls, byte cs, byte ks)
    {
        int l = 1 + ls % 12, c = 1 + cs % 5, k = 1 + ks % 5;
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var x = Normal(g, 2, l, c);
        var w = Normal(g, c, 1, k);
        var bias = Normal(g, c);
        var y = CausalConv.Forward(x, w, bias);
        var weights = Rows(w.squeeze(1));
        for (int b = 0; b < 2; b++)
            Close(ReferenceConv.Causal(Rows(x[b]), weights, Vector(bias)), y[b], 1e-12, $"row {b}");
    }

    [Property(MaxTest = 40)]
    public void Changing_later_inputs_leaves_earlier_outputs_unchanged(int seed, byte ls, byte ts)
    {
        int l = 2 + ls % 12, t = ts % (l - 1);
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var x = Normal(g, 2, l, 3);
        var w = Normal(g, 3, 1, 4);
        var bias = Normal(g, 3);
        var changed = x.clone();
        changed[.., (t + 1)..] = Normal(g, 2, l - t - 1, 3);
        var before = CausalConv.Forward(x, w, bias)[.., ..(t + 1)];
        var after = CausalConv.Forward(changed, w, bias)[.., ..(t + 1)];
        Assert.True(Identical(before, after), $"outputs up to {t} changed when inputs after {t} changed");
    }

    [Property(MaxTest = 30)]
    public void Stepping_equals_the_forward(int seed, byte ls, byte ks)
    {
        int l = 1 + ls % 12, k = 1 + ks % 5;
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var x = Normal(g, 2, l, 3);
        var w = Normal(g, 3, 1, k);
        var bias = Normal(g, 3);
        var full = CausalConv.Forward(x, w, bias);
        var tail = torch.zeros([2, k - 1, 3], ScalarType.Float64);
        for (int t = 0; t < l; t++)
        {
            (var y, tail) = CausalConv.Step(tail, x.select(1, t), w, bias);
            Close(full.select(1, t), y, 1e-12, $"step {t}");
        }
    }
}
