using Grela.Layers;
using Grela.Ops;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>Streaming state of one GRELA block for B users: S [B, H, d, d], z [B, H, d], the last K-1 conv inputs [B, K-1, Dim].</summary>
public sealed record BlockStreamState(Tensor S, Tensor Z, Tensor ConvTail) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() { S.Dispose(); Z.Dispose(); ConvTail.Dispose(); }

    /// <summary>Moves the three tensors out of the current dispose scope; returns this state.</summary>
    public BlockStreamState MoveToOuterDisposeScope()
    {
        S.MoveToOuterDisposeScope();
        Z.MoveToOuterDisposeScope();
        ConvTail.MoveToOuterDisposeScope();
        return this;
    }
}

/// <summary>
/// Streaming state of a causal RecGRELA for B users: per block sums, the number of real items seen
/// (the next position) [B], and the hidden state after each user's last real item [B, Dim].
/// </summary>
public sealed record RecGrelaStreamState(Tensor Positions, IReadOnlyList<BlockStreamState> Blocks, Tensor Hidden) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Positions.Dispose();
        Hidden.Dispose();
        foreach (var b in Blocks) b.Dispose();
    }
}

/// <summary>
/// O(1)-per-interaction inference for <see cref="AttentionMode.Causal"/>: each step folds one new item
/// per user into the state and gives the same hidden state as the parallel forward at that position.
/// States are values: a step returns a new state and leaves the old one intact (dispose it when done).
/// </summary>
public static class RecGrelaStreaming
{
    private static readonly FunctionShapes prefillShapes = FunctionShapes.Of(typeof(RecGrelaStreaming), nameof(Prefill));
    private static readonly FunctionShapes stepShapes = FunctionShapes.Of(typeof(RecGrelaStreaming), nameof(Step));
    private static readonly ShapePattern batch = ShapePattern.Parse("B");
    private static readonly ShapePattern batchDim = ShapePattern.Parse("B Dim");

    /// <summary>The empty state (no items seen) for <paramref name="batch"/> users.</summary>
    public static RecGrelaStreamState Start(RecGrelaModel.Module m, long batch)
    {
        var spec = Require(m);
        // A read of a module's weight may hand out a new tensor handle: free it here, not at the caller's scope.
        ScalarType dtype;
        Device device;
        using (torch.NewDisposeScope())
        {
            var weight = m.ItemEmbedding.weight!;
            (dtype, device) = (weight.dtype, weight.device);
        }
        int heads = spec.Heads, d = spec.Dim / spec.Heads;
        var blocks = m.Blocks.Select(block =>
        {
            using var prior = block.Attn.PriorOf(dtype);
            return new BlockStreamState(
                prior is null ? torch.zeros([batch, heads, d, d], dtype, device) : prior.S.expand(batch, -1, -1, -1).clone(),
                prior is null ? torch.zeros([batch, heads, d], dtype, device) : prior.Z.expand(batch, -1, -1).clone(),
                torch.zeros([batch, RelaAttention.ConvKernel - 1, spec.Dim], dtype, device));
        }).ToList();
        return new RecGrelaStreamState(torch.zeros([batch], ScalarType.Int64, device), blocks, torch.zeros([batch, spec.Dim], dtype, device));
    }

    /// <summary>
    /// The state after the histories items [B, L] (padding 0 anywhere), computed in one parallel pass:
    /// equal to stepping through each row's real items from <see cref="Start"/>.
    /// </summary>
    public static RecGrelaStreamState Prefill(RecGrelaModel.Module m, [Shape("B L")] Tensor items)
    {
        var spec = Require(m);
        prefillShapes.Check([items]);
        using var _ = no_grad();
        using var scope = torch.NewDisposeScope();
        long length = items.shape[1];
        var mask = items.ne(0);
        var h = m.Embed(items);
        var blocks = new List<BlockStreamState>(spec.Layers);
        foreach (var block in m.Blocks)
        {
            // The block's own forward, with its mixer input also folded into the state.
            var attn = block.Attn;
            BlockStreamState? state = null;
            h = block.Apply(h, u =>
            {
                state = PrefillState(attn, u, mask);
                return attn.forward(u, mask);
            });
            blocks.Add(state!);
        }
        var count = mask.sum(1, type: ScalarType.Int64);
        var lastIndex = (mask.to_type(ScalarType.Int64) * torch.arange(length, ScalarType.Int64, items.device)).max(1).values;
        var hidden = Readout.At(h, lastIndex).squeeze(1) * count.gt(0).unsqueeze(-1).to_type(h.dtype);
        foreach (var b in blocks) b.MoveToOuterDisposeScope();
        return new RecGrelaStreamState(count.MoveToOuterDisposeScope(), blocks, hidden.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One block's state after the real rows of its mixer input u [B, L, Dim], mask [B, L]: the sums
    /// over the rotated keys and values (plus the registers' prior) and the convolution's tail.
    /// </summary>
    static BlockStreamState PrefillState(RelaAttention.Module attn, Tensor u, Tensor mask)
    {
        long batch = u.shape[0], length = u.shape[1];
        int heads = attn.Spec.Heads, d = attn.Spec.HeadDim;
        var real = mask.to_type(u.dtype).unsqueeze(-1);                                   // [B, L, 1]
        u = u * real;
        var features = attn.Features(u);
        var rotated = attn.Rotate(features, mask);
        var kr = (rotated.select(2, 1) * real).view(batch, length, heads, d);
        var s = torch.einsum("blhd,blhe->bhde", kr, u.view(batch, length, heads, d));
        var z = (features.select(2, 1) * real).sum(1).view(batch, heads, d);
        if (attn.PriorOf(u.dtype) is { } prior)
        {
            s = s + prior.S;
            z = z + prior.Z;
        }
        return new BlockStreamState(s, z, LastReal(u, mask, RelaAttention.ConvKernel - 1));
    }

    /// <summary>The last <paramref name="k"/> real rows of x [B, L, D] in order, zeros before the first: [B, k, D].</summary>
    static Tensor LastReal(Tensor x, Tensor mask, int k)
    {
        var position = mask.to_type(ScalarType.Int64).cumsum(1) - 1;
        var slot = position - (mask.sum(1, keepdim: true, type: ScalarType.Int64) - k);          // k-1 for the last real row
        var valid = mask.logical_and(slot.ge(0));
        var index = slot.clamp_min(0).unsqueeze(-1).expand(-1, -1, x.shape[2]);
        return torch.zeros([x.shape[0], k, x.shape[2]], x.dtype, x.device)
            .scatter_add_(1, index, x * valid.unsqueeze(-1).to_type(x.dtype));
    }

    /// <summary>
    /// Feeds one item per user, items [B] (int64); a row whose item is 0 (padding) keeps its state.
    /// Runs without gradients; put the module in eval mode for inference.
    /// </summary>
    public static RecGrelaStreamState Step(RecGrelaModel.Module m, RecGrelaStreamState state, [Shape("B")] Tensor items)
    {
        var spec = Require(m);
        // The state must be one of B users of this model's width: checked under the items' B.
        var guard = stepShapes.Check([items], ("Dim", spec.Dim));
        guard?.Check("state.Positions", state.Positions, batch);
        guard?.Check("state.Hidden", state.Hidden, batchDim);
        using var _ = no_grad();
        using var scope = torch.NewDisposeScope();
        var real = items.ne(0);
        var h = m.Embed(items.unsqueeze(1));                                         // [B, 1, Dim]
        // Every block rotates at the same positions: one table for all of them.
        var table = Rope.AsComplex(Rope.TableAt(state.Positions, spec.Dim), h.dtype).view(items.shape[0], 1, 1, spec.Dim / 2);
        var blocks = new List<BlockStreamState>(spec.Layers);
        for (int i = 0; i < spec.Layers; i++)
        {
            var block = m.Blocks[i];
            var previous = state.Blocks[i];
            BlockStreamState? updated = null;
            h = block.Apply(h, u =>
            {
                var (mixed, next) = MixStep(block.Attn, previous, state.Positions, table, u);
                updated = next;
                return mixed;
            }, few: true);
            blocks.Add(Keep(real, updated!, previous));
        }
        var hidden = torch.where(real.unsqueeze(-1), h.squeeze(1), state.Hidden);
        var positions = state.Positions + real.to_type(ScalarType.Int64);
        foreach (var b in blocks) b.MoveToOuterDisposeScope();
        return new RecGrelaStreamState(positions.MoveToOuterDisposeScope(), blocks, hidden.MoveToOuterDisposeScope());
    }

    /// <summary>Full-sort scores [B, N] of the state's hidden states.</summary>
    public static Tensor Scores(RecGrelaModel.Module m, RecGrelaStreamState state)
    {
        using var _ = no_grad();
        return state.Hidden.matmul(m.ItemEmbedding.weight!.t());
    }

    /// <summary>
    /// The attention's token mixer for one position u [B, 1, Dim] with the complex RoPE rotations at
    /// the users' positions [B, 1, 1, Dim/2]: A + C and the updated block state.
    /// </summary>
    static (Tensor Mixed, BlockStreamState Next) MixStep(RelaAttention.Module attn, BlockStreamState state, Tensor positions, Tensor table, Tensor u)
    {
        var spec = attn.Spec;
        long b = u.shape[0];
        var features = attn.Features(u);                                                // [B, 1, 2, Dim]
        var rotated = Rope.ApplyComplex(features, table);
        Tensor Heads(Tensor x) => x.reshape(b, spec.Heads, spec.HeadDim);
        // Register slots count as positions seen in the epsilon term, as in the parallel form.
        var (a, s, z) = LinearAttention.Step(state.S, state.Z, positions + spec.Registers,
            Heads(features.select(2, 0)), Heads(features.select(2, 1)), Heads(rotated.select(2, 0)), Heads(rotated.select(2, 1)), Heads(u));
        var (c, tail) = CausalConv.Step(state.ConvTail, u.squeeze(1), attn.Conv1d.weight!, attn.Conv1d.bias!);
        var mixed = a.reshape(b, 1, spec.Dim) + silu(c).unsqueeze(1);
        return (mixed, new BlockStreamState(s, z, tail));
    }

    static BlockStreamState Keep(Tensor real, BlockStreamState updated, BlockStreamState previous) => new(
        torch.where(real.view(-1, 1, 1, 1), updated.S, previous.S),
        torch.where(real.view(-1, 1, 1), updated.Z, previous.Z),
        torch.where(real.view(-1, 1, 1), updated.ConvTail, previous.ConvTail));

    /// <summary>The spec of a model streaming can run, or an exception saying why it cannot (see <see cref="Supports"/>).</summary>
    internal static RecGrelaModel Require(RecGrelaModel.Module m) =>
        m.Spec.Mode != AttentionMode.Causal
            ? throw new InvalidOperationException("Streaming needs AttentionMode.Causal: the global (official) mode mixes every position of the window, so it has no per-step state.")
            : m.Spec.SummarySlots > 0
                ? throw new InvalidOperationException("Streaming does not support summary slots yet (their state per block is not kept); such a model recomputes its window instead.")
                : m.Spec;

    /// <summary>Whether <see cref="Start"/>, <see cref="Prefill"/> and <see cref="Step"/> can run this model.</summary>
    public static bool Supports(RecGrelaModel spec) => spec.Mode == AttentionMode.Causal && spec.SummarySlots == 0;
}
