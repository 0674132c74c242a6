using FsCheck.Xunit;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>The whole causal model: causality, padding invariance, streaming equals batch.</summary>
public class CausalModelProperties
{
    [Property(MaxTest = 12)]
    public void Changing_items_after_t_leaves_hidden_states_up_to_t_unchanged(int seed, byte ls, byte ts)
    {
        int length = 2 + ls % 15, t = ts % (length - 1);
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, registers: SmallModels.RegistersFor(seed), summarySlots: SmallModels.SummarySlotsFor(seed)), seed);
        using var _ = no_grad();
        var g = Rng(seed);
        var items = SmallModels.RandomItems(g, 2, length);
        var changed = items.clone();
        changed[.., (t + 1)..] = SmallModels.RandomItems(g, 2, length - t - 1);
        Close(m.forward(items)[.., ..(t + 1)], m.forward(changed)[.., ..(t + 1)], 1e-12, $"hidden up to {t}");
    }

    [Property(MaxTest = 12)]
    public void Output_at_the_last_real_item_ignores_surrounding_padding(int seed, byte ns, byte lefts, byte rights)
    {
        int n = 1 + ns % 9, left = lefts % 6, right = rights % 6;
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, maxLength: 24, registers: SmallModels.RegistersFor(seed), summarySlots: SmallModels.SummarySlotsFor(seed)), seed);
        using var _ = no_grad();
        var sequence = SmallModels.RandomItems(Rng(seed), 1, n);
        var bare = m.forward(sequence)[0, n - 1];
        var padded = nn.functional.pad(sequence, [left, right]);
        var surrounded = m.forward(padded)[0, left + n - 1];
        Close(bare, surrounded, 1e-9, $"{left} padding before, {right} after");
    }

    [Property(MaxTest = 10)]
    public void All_position_loss_is_unchanged_by_cutting_trailing_padding_columns(int seed, byte extra)
    {
        // The trainer drops the columns after a batch's longest row (length-bucketed batches).
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, maxLength: 24, registers: SmallModels.RegistersFor(seed), summarySlots: SmallModels.SummarySlotsFor(seed)), seed);
        using var model = new RecGrelaRecommender(m);
        using var _ = no_grad();
        var g = Rng(seed);
        var items = SmallModels.RandomItems(g, 2, 7);
        items[1, 4..] = 0;                                             // the second row is shorter
        var targets = SmallModels.RandomItems(g, 2, 7);
        targets[1, 4..] = 0;
        var lengths = torch.tensor(new long[] { 7, 4 });
        var wide = 7 + extra % 9;
        var padded = nn.functional.pad(items, [0, wide - 7]);
        var paddedTargets = nn.functional.pad(targets, [0, wide - 7]);
        Close(model.Loss(items, lengths, targets, Grela.Models.TrainingStyle.AllPositions),
              model.Loss(padded, lengths, paddedTargets, Grela.Models.TrainingStyle.AllPositions), 1e-10, $"width {wide}");
    }

    [Property(MaxTest = 10)]
    public void Streaming_one_item_at_a_time_equals_the_parallel_forward(int seed, byte ls, byte layers)
    {
        int length = 1 + ls % 20;
        using var scope = torch.NewDisposeScope();
        // maxLength 12 < length sometimes: the causal mode extends the rotation table past it.
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, layers: 1 + layers % 3, maxLength: 12, registers: SmallModels.RegistersFor(seed)), seed);
        using var _ = no_grad();
        var items = SmallModels.RandomItems(Rng(seed), 3, length);
        var parallel = m.forward(items);
        var state = RecGrelaStreaming.Start(m, 3);
        for (int t = 0; t < length; t++)
        {
            var next = RecGrelaStreaming.Step(m, state, items.select(1, t));
            state.Dispose();
            state = next;
            Close(parallel.select(1, t), state.Hidden, 1e-9, $"position {t}");
        }
        state.Dispose();
    }

    [Property(MaxTest = 8)]
    public void Streaming_a_right_padded_batch_ends_at_each_rows_last_real_item(int seed, byte l0, byte l1)
    {
        long[] lengths = [1 + l0 % 10, 1 + l1 % 10, 10];
        using var scope = torch.NewDisposeScope();
        using var model = new RecGrelaRecommender(SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, registers: SmallModels.RegistersFor(seed)), seed));
        using var _ = no_grad();
        var items = SmallModels.RandomItems(Rng(seed), 3, 10);
        for (int r = 0; r < 3; r++) items[r, (int)lengths[r]..] = torch.tensor(0L);
        var lengthTensor = torch.tensor(lengths);
        using var state = RecGrelaStreaming.Prefill(model.Network, items);
        Close(model.LastHidden(items, lengthTensor), state.Hidden, 1e-9, "last hidden");
        Close(model.FullSortScores(items, lengthTensor), RecGrelaStreaming.Scores(model.Network, state), 1e-9, "scores");
        Assert.Equal(lengths, state.Positions.data<long>().ToArray());
    }

    [Property(MaxTest = 10)]
    public void Parallel_prefill_equals_stepping_through_the_history(int seed, byte l0, byte lefts)
    {
        const int length = 9;
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, layers: 2, maxLength: 8, registers: SmallModels.RegistersFor(seed)), seed);
        var items = SmallModels.RandomItems(Rng(seed), 3, length);
        // Row 0 right-padded, row 1 left-padded, row 2 full (longer than MaxLength).
        items[0, (1 + l0 % length)..] = torch.tensor(0L);
        items[1, ..(lefts % length)] = torch.tensor(0L);
        using var parallel = RecGrelaStreaming.Prefill(m, items);
        var stepped = RecGrelaStreaming.Start(m, 3);
        for (int t = 0; t < length; t++)
        {
            var next = RecGrelaStreaming.Step(m, stepped, items.select(1, t));
            stepped.Dispose();
            stepped = next;
        }
        Assert.Equal(stepped.Positions.data<long>().ToArray(), parallel.Positions.data<long>().ToArray());
        Close(stepped.Hidden, parallel.Hidden, 1e-9, "hidden");
        for (int b = 0; b < stepped.Blocks.Count; b++)
        {
            Close(stepped.Blocks[b].S, parallel.Blocks[b].S, 1e-9, $"block {b} S");
            Close(stepped.Blocks[b].Z, parallel.Blocks[b].Z, 1e-9, $"block {b} z");
            Close(stepped.Blocks[b].ConvTail, parallel.Blocks[b].ConvTail, 1e-9, $"block {b} conv tail");
        }
        stepped.Dispose();
    }

    [Fact]
    public void Streaming_state_does_not_grow_with_history()
    {
        using var scope = torch.NewDisposeScope();
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal, registers: 2), 1);
        static long Size(RecGrelaStreamState s) => s.Positions.numel() + s.Hidden.numel() + s.Blocks.Sum(b => b.S.numel() + b.Z.numel() + b.ConvTail.numel());
        var g = Rng(1);
        using var short_ = RecGrelaStreaming.Prefill(m, SmallModels.RandomItems(g, 2, 3));
        using var long_ = RecGrelaStreaming.Prefill(m, SmallModels.RandomItems(g, 2, 40));
        Assert.Equal(Size(short_), Size(long_));
        // per block: S [B, H, d, d] + z [B, H, d] + conv tail [B, 3, D]; plus positions [B] and hidden [B, D]
        Assert.Equal(2 * (2 * (2 * 4 * 4 + 2 * 4 + 3 * 8)) + 2 + 2 * 8, Size(long_));
    }

    [Fact]
    public void Streaming_refuses_the_global_mode()
    {
        using var m = new RecGrelaModel(Items: 10, Dim: 8, Heads: 2, Layers: 1, MaxLength: 6).Build();
        var error = Assert.Throws<InvalidOperationException>(() => RecGrelaStreaming.Start(m, 1));
        Assert.Contains("Causal", error.Message);
    }
}
