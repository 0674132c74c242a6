using Grela.Layers;
using Grela.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Stochastic depth drawn per sequence or per position.</summary>
[Collection(TorchSerial.Name)]
public class DropPathTests
{
    private static Tensor Dropped(bool perPosition)
    {
        torch.manual_seed(3);
        using var module = new DropPath(0.5, perPosition).Build();
        module.train();
        using var x = torch.ones(64, 20, 8);
        return module.forward(x);
    }

    [Fact]
    public void Per_sequence_a_row_keeps_or_loses_its_whole_branch()
    {
        using var y = Dropped(perPosition: false);
        // Constant over positions and channels in every row; both outcomes occur.
        Assert.True(y.eq(y[.., ..1, ..1]).all().item<bool>());
        var rows = y[.., 0, 0];
        Assert.True(rows.eq(0).any().item<bool>() && rows.eq(2).any().item<bool>());
    }

    [Fact]
    public void Per_position_each_position_draws_and_its_channels_share_the_draw()
    {
        using var y = Dropped(perPosition: true);
        Assert.True(y.eq(y[.., .., ..1]).all().item<bool>());
        // Some row has both kept and dropped positions (for 64 rows of 20 at rate 0.5, all but certain).
        var mixed = y[.., .., 0].eq(0).any(1).logical_and(y[.., .., 0].eq(2).any(1));
        Assert.True(mixed.any().item<bool>());
        // Survivors are scaled by 1 / (1 - rate); nothing else appears.
        Assert.True(y.eq(0).logical_or(y.eq(2)).all().item<bool>());
    }

    [Fact]
    public void In_eval_mode_both_draws_are_the_identity()
    {
        foreach (var perPosition in new[] { false, true })
        {
            using var module = new DropPath(0.5, perPosition).Build();
            module.eval();
            using var x = torch.randn(4, 6, 3);
            using var y = module.forward(x);
            Assert.True(y.eq(x).all().item<bool>());
        }
    }
}
