using FsCheck.Xunit;
using Grela.Models;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Reading one position (last block computed only there) equals the full forward read there.</summary>
public class ReadoutProperties
{
    [Property(MaxTest = 16)]
    public void Forward_at_a_position_equals_the_full_forward_there(int seed, bool causal, byte layerSeed, byte l0, byte l1)
    {
        var mode = causal ? AttentionMode.Causal : AttentionMode.Global;
        const int length = 10;
        // Layers = 1 exercises the official no-residual block in global mode.
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(mode, layers: 1 + layerSeed % 3, maxLength: length, registers: causal ? SmallModels.RegistersFor(seed) : 0,
            summarySlots: causal ? SmallModels.SummarySlotsFor(seed) : 0), seed);
        using var _ = no_grad();
        var items = SmallModels.RandomItems(Rng(seed), 2, length);
        long[] lengths = [1 + l0 % length, 1 + l1 % length];
        for (int r = 0; r < 2; r++) items[r, (int)lengths[r]..] = torch.tensor(0L);
        var positions = torch.tensor(new long[] { lengths[0] - 1, (l0 + l1) % length });
        var full = Readout.At(m.forward(items), positions).squeeze(1);
        Close(full, m.ForwardAt(items, positions), 1e-9, $"{mode}, {m.Spec.Layers} layers");
    }
}
