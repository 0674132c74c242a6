using FsCheck.Xunit;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>The managed one-user streaming engine against the torch streaming step, its oracle.</summary>
public class ManagedStreamingProperties
{
    const double Tolerance = 1e-4;

    /// <summary>A small seeded causal model in float32 (the engine's dtype): width, heads, depth and registers from the seed.</summary>
    static RecGrelaModel.Module Model(int seed, byte shape, int maxLength = 6)
    {
        (int Dim, int Heads)[] widths = [(8, 2), (12, 3), (16, 2), (16, 4), (32, 4), (24, 1)];
        var (dim, heads) = widths[shape % widths.Length];
        var spec = new RecGrelaModel(Items: SmallModels.Items, Dim: dim, Heads: heads, Layers: 1 + shape / 8 % 3, MaxLength: maxLength,
            Mode: AttentionMode.Causal, Dropout: 0, DropPathRate: 0, Registers: SmallModels.RegistersFor(seed));
        var m = SmallModels.Build(spec, seed);
        m.to(ScalarType.Float32);
        return m;
    }

    static void Same(RecGrelaStreamState expected, RecGrelaStreamState actual, string what)
    {
        Assert.Equal(expected.Positions.data<long>().ToArray(), actual.Positions.data<long>().ToArray());
        Close(expected.Hidden, actual.Hidden, Tolerance, $"{what}: hidden");
        for (int b = 0; b < expected.Blocks.Count; b++)
        {
            Close(expected.Blocks[b].S, actual.Blocks[b].S, Tolerance, $"{what}: block {b} S");
            Close(expected.Blocks[b].Z, actual.Blocks[b].Z, Tolerance, $"{what}: block {b} z");
            Close(expected.Blocks[b].ConvTail, actual.Blocks[b].ConvTail, Tolerance, $"{what}: block {b} conv tail");
        }
    }

    [Property(MaxTest = 16)]
    public void Managed_steps_equal_the_torch_steps_padding_included(int seed, byte shape, byte ls)
    {
        int length = 1 + ls % 24;
        using var scope = torch.NewDisposeScope();
        using var m = Model(seed, shape);
        var engine = ManagedStreaming.From(m);
        // Padding anywhere: about one item in four is 0, and rows run past MaxLength (the rotation table's formula).
        var items = SmallModels.RandomItems(Rng(seed), 1, length).select(0, 0);
        items = torch.where(torch.rand([length], generator: Rng(seed + 1)).lt(0.25), torch.zeros_like(items), items);
        var torchState = RecGrelaStreaming.Start(m, 1);
        var managed = engine.Start();
        Same(torchState, engine.Export(managed), "start");
        for (int t = 0; t < length; t++)
        {
            var next = RecGrelaStreaming.Step(m, torchState, items.narrow(0, t, 1));
            torchState.Dispose();
            torchState = next;
            managed = engine.Step(managed, items[t].item<long>());
            using var exported = engine.Export(managed);
            Same(torchState, exported, $"after item {t} ({items[t].item<long>()})");
        }
        var torchScores = RecGrelaStreaming.Scores(m, torchState)[0];
        var scores = new float[engine.Items];
        engine.Scores(managed, scores);
        Close(torchScores, torch.tensor(scores), Tolerance, "scores");
        AssertSameTop(torchScores, engine.Top(managed, 5));
        torchState.Dispose();
    }

    /// <summary>The managed top-K holds torch's top-K items, in order, up to scores closer than the tolerance.</summary>
    static void AssertSameTop(Tensor torchScores, IReadOnlyList<(long Item, float Score)> top)
    {
        var expected = torchScores.clone();
        expected[0] = float.NegativeInfinity;
        var (values, indices) = expected.topk(top.Count);
        var ids = indices.data<long>().ToArray();
        var best = values.data<float>().ToArray();
        for (int i = 0; i < top.Count; i++)
        {
            Assert.Equal(best[i], top[i].Score, 1e-4f);
            bool tied = (i > 0 && Math.Abs(best[i] - best[i - 1]) < 1e-4) || (i + 1 < best.Length && Math.Abs(best[i] - best[i + 1]) < 1e-4);
            if (!tied) Assert.Equal(ids[i], top[i].Item);
        }
    }

    [Property(MaxTest = 8)]
    public void Stepping_on_from_an_imported_prefill_equals_the_torch_steps(int seed, byte shape, byte ls)
    {
        int length = 2 + ls % 20, split = 1 + ls % (length - 1);
        using var scope = torch.NewDisposeScope();
        using var m = Model(seed, shape);
        var engine = ManagedStreaming.From(m);
        var items = SmallModels.RandomItems(Rng(seed), 1, length);
        using var prefilled = RecGrelaStreaming.Prefill(m, items.narrow(1, 0, split));
        var managed = engine.Fold(engine.Import(prefilled), items[0, split..].data<long>().ToArray());
        using var expected = RecGrelaStreaming.Prefill(m, items);
        using var exported = engine.Export(managed);
        Same(expected, exported, $"{split} prefilled + {length - split} stepped");
    }

    [Fact]
    public void A_step_leaves_the_state_it_started_from_intact()
    {
        using var m = Model(3, 9);
        var engine = ManagedStreaming.From(m);
        var start = engine.Fold(engine.Start(), [1, 2, 3]);
        var copy = start.Parts().Select(p => p.ToArray()).ToList();
        var once = engine.Step(start, 4);
        var again = engine.Step(start, 4);
        Assert.Equal(copy, start.Parts().Select(p => p.ToArray()).ToList());
        Assert.Equal(once.Parts().Select(p => p.ToArray()), again.Parts().Select(p => p.ToArray()));
        Assert.Same(start, engine.Step(start, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Step(start, SmallModels.Items));
    }

    [Fact]
    public void Gelu_matches_the_exact_torch_form_over_its_range()
    {
        var xs = Enumerable.Range(-1200, 2401).Select(i => i / 100f).ToArray();
        using var expected = Mlp.ExactGelu(torch.tensor(xs));
        var got = xs.ToArray();
        ManagedKernels.Gelu(got);
        Close(expected, torch.tensor(got), 1e-6, "gelu");
    }

    [Fact]
    public void Erfc_has_the_fractional_error_its_comment_claims()
    {
        var xs = Enumerable.Range(-600, 2201).Select(i => i / 100.0).ToArray();
        var expected = torch.special.erfc(torch.tensor(xs)).data<double>().ToArray();
        var worst = xs.Select((x, i) => Math.Abs(ManagedKernels.Erfc(x) - expected[i]) / expected[i]).Max();
        Assert.True(worst < 1.2e-7, $"worst relative error {worst}");
    }

    [Fact]
    public void Top_skips_padding_keeps_the_lower_id_on_ties_and_ranks_nan_first()
    {
        float[] scores = [9, 1, 3, 3, float.NaN, 2];
        Assert.Equal([(4L, float.NaN), (2L, 3f), (3L, 3f)], ManagedStreaming.TopOf(scores, 3));
        Assert.Equal(5, ManagedStreaming.TopOf(scores, 10).Count);
        Assert.Empty(ManagedStreaming.TopOf(scores, 0));
    }

    [Fact]
    public void The_engine_refuses_the_global_mode()
    {
        using var m = new RecGrelaModel(Items: 10, Dim: 8, Heads: 2, Layers: 1, MaxLength: 6).Build();
        Assert.Throws<InvalidOperationException>(() => ManagedStreaming.From(m));
    }
}
