using FsCheck.Xunit;
using Grela.Models.RecGrela;
using Grela.Ops;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Summary slots: their maths against a position-by-position reference, where they live, what refuses them.</summary>
public class SummarySlotsProperties
{
    [Property(MaxTest = 12)]
    public void Slots_equal_a_prefix_by_prefix_reference(int seed, byte ls, byte js, byte pads)
    {
        int length = 1 + ls % 9, count = 1 + js % 3, padding = pads % (length + 1);
        const int dim = 8, heads = 2, dh = dim / heads;
        using var scope = torch.NewDisposeScope();
        using var slots = new SummarySlots(count, dim, heads).Build();
        slots.to(ScalarType.Float64);
        var g = Rng(seed);
        using (no_grad())
        {
            foreach (var p in slots.parameters()) p.copy_(Normal(g, p.shape) * 0.5);
        }
        var keys = Positive(g, 2, length, dim);
        var values = Normal(g, 2, length, dim);
        var mask = torch.ones(2, length, ScalarType.Bool);
        if (padding > 0) mask[1, (length - padding)..] = torch.tensor(false);     // row 1 right-padded

        using var _ = no_grad();
        var got = slots.forward(keys, values, mask);
        Assert.Equal(new long[] { 2, length, count, 2 * dim }, got.shape);

        var q = nn.functional.elu(slots.RawQueries, 1.0, false) + 1;           // [J, D]
        var mapped = slots.Proj.forward(values);                               // [B, L, 2D]
        for (int b = 0; b < 2; b++)
        for (int t = 0; t < length; t++)
        {
            var real = Enumerable.Range(0, t + 1).Where(s => mask[b, s].item<bool>()).ToArray();
            for (int j = 0; j < count; j++)
            for (int h = 0; h < heads; h++)
            {
                var qh = q[j, (h * dh)..((h + 1) * dh)];
                var numerator = torch.zeros(2, dh, ScalarType.Float64);
                var keySum = torch.zeros(dh, ScalarType.Float64);
                foreach (var s in real)
                {
                    var ks = keys[b, s, (h * dh)..((h + 1) * dh)];
                    var weight = (qh * ks).sum();
                    numerator += weight * torch.stack([mapped[b, s, (h * dh)..((h + 1) * dh)], mapped[b, s, (dim + h * dh)..(dim + (h + 1) * dh)]]);
                    keySum += ks;
                }
                var denominator = (qh * keySum).sum() + Math.Max(1, real.Length) * LinearAttention.Epsilon;
                var expectedKey = nn.functional.elu(numerator[0] / denominator, 1.0, false) + 1;
                var expectedValue = numerator[1] / denominator;
                Close(expectedKey, got[b, t, j, (h * dh)..((h + 1) * dh)], 1e-10, $"key b{b} t{t} j{j} h{h}");
                Close(expectedValue, got[b, t, j, (dim + h * dh)..(dim + (h + 1) * dh)], 1e-10, $"value b{b} t{t} j{j} h{h}");
            }
        }
    }

    [Property(MaxTest = 10)]
    public void Slot_terms_equal_the_per_head_dot_products(int seed, byte js)
    {
        int count = 1 + js % 3;
        const int dim = 8, heads = 2, dh = dim / heads, length = 3;
        using var scope = torch.NewDisposeScope();
        var g = Rng(seed);
        var q = Positive(g, 1, length, dim);
        var slots = torch.cat([Positive(g, 1, length, count, dim), Normal(g, 1, length, count, dim)], -1);
        var (numerator, keyDot) = SummarySlots.Terms(q, slots, heads);
        for (int t = 0; t < length; t++)
        for (int h = 0; h < heads; h++)
        {
            var qh = q[0, t, (h * dh)..((h + 1) * dh)];
            var expected = torch.zeros(dh, ScalarType.Float64);
            var expectedDot = 0.0;
            for (int j = 0; j < count; j++)
            {
                var score = (qh * slots[0, t, j, (h * dh)..((h + 1) * dh)]).sum();
                expected += score * slots[0, t, j, (dim + h * dh)..(dim + (h + 1) * dh)];
                expectedDot += score.item<double>();
            }
            Close(expected, numerator[0, t, (h * dh)..((h + 1) * dh)], 1e-12, $"numerator t{t} h{h}");
            Assert.True(Math.Abs(expectedDot - keyDot[0, t, h].item<double>()) <= 1e-12 * (1 + Math.Abs(expectedDot)), $"key term t{t} h{h}");
        }
    }

    [Fact]
    public void Every_block_but_the_first_owns_the_slots_under_its_attention()
    {
        using var m = new RecGrelaModel(Items: 11, Dim: 8, Heads: 2, Layers: 3, MaxLength: 8, Mode: AttentionMode.Causal, SummarySlots: 2).Build();
        var names = m.state_dict().Keys.Where(k => k.Contains(".summary.")).Order().ToArray();
        Assert.Equal(
            ["GRELA_block.1.attn.summary.0.proj.bias", "GRELA_block.1.attn.summary.0.proj.weight", "GRELA_block.1.attn.summary.0.q",
             "GRELA_block.2.attn.summary.0.proj.bias", "GRELA_block.2.attn.summary.0.proj.weight", "GRELA_block.2.attn.summary.0.q"],
            names);
        Assert.Equal(new long[] { 2, 8 }, m.state_dict()["GRELA_block.1.attn.summary.0.q"].shape);
        Assert.Equal(new long[] { 16, 8 }, m.state_dict()["GRELA_block.2.attn.summary.0.proj.weight"].shape);
    }

    [Fact]
    public void Slots_change_what_the_second_block_on_computes()
    {
        using var scope = torch.NewDisposeScope();
        using var plain = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, layers: 2), 5);
        using var slotted = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, layers: 2, summarySlots: 2), 5);
        // Same weights where both have them: the first block agrees, the second differs by the slots.
        using (no_grad())
        {
            var source = plain.state_dict();
            foreach (var (name, tensor) in slotted.state_dict())
                if (source.TryGetValue(name, out var same)) tensor.copy_(same);
        }
        using var _ = no_grad();
        var items = SmallModels.RandomItems(Rng(5), 2, 6);
        var h0 = plain.Embed(items);
        var mask = items.ne(0);
        Close(plain.Blocks[0].forward(h0, mask), slotted.Blocks[0].ForwardCarrying(h0, mask, null).Output, 1e-12, "first block");
        var difference = (plain.forward(items) - slotted.forward(items)).abs().max().item<double>();
        Assert.True(difference > 1e-6, $"the slots changed nothing (max difference {difference})");
    }

    [Fact]
    public void Streaming_refuses_a_model_with_slots_by_name()
    {
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, summarySlots: 1), 3);
        Assert.False(RecGrelaStreaming.Supports(m.Spec));
        Assert.True(RecGrelaStreaming.Supports(SmallModels.Spec(AttentionMode.Causal)));
        var error = Assert.Throws<InvalidOperationException>(() => RecGrelaStreaming.Start(m, 1));
        Assert.Contains("summary slots", error.Message);
        Assert.Throws<InvalidOperationException>(() => ManagedStreaming.From(m));
    }
}
