using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>The RecGRELA dropout: rate, scaling, gradient, eval identity, (determinism by seed: the training tests).</summary>
public class LeanDropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Drops_about_rate_of_the_elements_and_scales_the_rest(double rate)
    {
        using var scope = torch.NewDisposeScope();
        using var m = new LeanDropout(rate).Build();
        m.train();
        torch.manual_seed(7);
        var x = torch.rand(200_000, ScalarType.Float64) + 1;                 // no zeros of its own
        var y = m.forward(x);
        var dropped = y.eq(0).to_type(ScalarType.Float64).mean().item<double>();
        // 200k Bernoulli draws: the standard deviation of the fraction is < 0.0012.
        Assert.InRange(dropped, rate - 0.006, rate + 0.006);
        var kept = y.ne(0);
        var expected = x.masked_select(kept) / (1 - rate);
        Assert.True(torch.allclose(expected, y.masked_select(kept), 1e-15, 0), "survivors are not x / (1 - rate)");
    }

    [Fact]
    public void Gradient_is_the_mask_times_the_scale()
    {
        using var scope = torch.NewDisposeScope();
        using var m = new LeanDropout(0.3).Build();
        m.train();
        var x = (torch.rand(1000, ScalarType.Float64) + 1).requires_grad_(true);
        var y = m.forward(x);
        y.sum().backward();
        var expected = y.ne(0).to_type(ScalarType.Float64) / 0.7;
        Assert.True(torch.allclose(expected, x.grad!, 1e-15, 0));
    }

    [Fact]
    public void Eval_mode_and_rate_zero_are_the_identity()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(50, ScalarType.Float64);
        using var m = new LeanDropout(0.4).Build();
        m.eval();
        Assert.True(torch.allclose(x, m.forward(x), 0, 0));
        using var none = new LeanDropout(0).Build();
        none.train();
        Assert.True(torch.allclose(x, none.forward(x), 0, 0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.9)]
    public void Cpu_masks_drop_rate_of_the_elements_independently_and_follow_the_torch_seed(double rate)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var a = Grela.Ops.DropoutMask.Dropped([301, 667], rate).to_type(ScalarType.Float64);
        Assert.Equal([301L, 667L], a.shape);
        var mean = a.mean().item<double>();
        Assert.InRange(mean, rate - 0.006, rate + 0.006);
        // Neighbours (same 64-bit word and across words) are independent: P(both) = rate^2.
        var flat = a.view(-1);
        var both = (flat.narrow(0, 0, flat.shape[0] - 1) * flat.narrow(0, 1, flat.shape[0] - 1)).mean().item<double>();
        Assert.InRange(both, rate * rate - 0.004, rate * rate + 0.004);

        torch.manual_seed(3);
        Assert.True(a.equal(Grela.Ops.DropoutMask.Dropped([301, 667], rate).to_type(ScalarType.Float64)).all().item<bool>(), "same torch seed, different mask");
        if (rate > 0)
            Assert.False(a.equal(Grela.Ops.DropoutMask.Dropped([301, 667], rate).to_type(ScalarType.Float64)).all().item<bool>(), "the next draw repeated the mask");
    }
}
