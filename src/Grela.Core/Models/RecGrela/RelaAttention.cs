using Grela.Layers;
using Grela.Ops;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// Rotary-enhanced linear attention with the local shortcut, applied to U = in_proj(X):
/// [Q~ | K~] = U W_qk + b; Q, K = ELU + 1; Q^R, K^R = RoPE; V = U; per head
/// A = RELA(Q, K, Q^R, K^R, V) (global or causal); C = SiLU(causal depthwise conv_4(U)); returns A + C.
/// Causal mode may add <see cref="Registers"/> learned register slots to every query's sums, and
/// <see cref="Summaries"/> summary slots read from the previous block's attention (<see cref="SummarySlots"/>).
/// Heads have an even width (QuotientMultipleOf = 2): RoPE turns channel pairs (2i, 2i+1), and a
/// pair split between two heads would not be turned within either.
/// </summary>
[Layer]
public sealed partial record RelaAttention(
    [Positive] int Dim, [Positive, Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads, [Positive] int MaxLength, AttentionMode Mode, [Positive] int Chunk = 32,
    int Registers = 0, int Summaries = 0)
{
    /// <summary>The joint query/key projection D -> 2D (queries first).</summary>
    [Sub("qk")] public Linear Qk => new(Dim, 2 * Dim);

    /// <summary>The local shortcut's causal depthwise convolution.</summary>
    [Sub("conv1d")] public CausalDepthwiseConv1d Conv1d => new(Dim, ConvKernel);

    /// <summary>RoPE over the full width.</summary>
    [Sub("rope")] public RotaryEncoding Rope => new(MaxLength, Dim);

    /// <summary>The register slots (causal mode with Registers &gt; 0; otherwise none, and no parameters).</summary>
    [Sub("registers")] public LayerList<RegisterSlots> Slots =>
        LayerList.Repeat(Mode == AttentionMode.Causal && Registers > 0 ? 1 : 0, _ => new RegisterSlots(Registers, Dim, Heads));

    /// <summary>The summary slots (causal mode with Summaries &gt; 0; otherwise none, and no parameters).</summary>
    [Sub("summary")] public LayerList<SummarySlots> Summary =>
        LayerList.Repeat(Mode == AttentionMode.Causal && Summaries > 0 ? 1 : 0, _ => new SummarySlots(Summaries, Dim, Heads));

    /// <summary>The registers' prior state, or null without registers.</summary>
    public LinearAttention.Prior? PriorOf(Module m, ScalarType dtype) =>
        m.Slots.Count == 0 ? null : m.Slots[0].PriorOf(dtype);

    /// <summary>The number of register slots the sums see (0 without registers).</summary>
    public int RegisterCount(Module m) => m.Slots.Count == 0 ? 0 : m.Slots[0].Spec.Count;

    /// <summary>Head width d = Dim / Heads.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Kernel of the local shortcut.</summary>
    public const int ConvKernel = 4;

    /// <summary>
    /// u [B, L, Dim], mask [B, L] (1 real item, 0 padding; only causal mode reads it) -> [B, L, Dim].
    /// Global mode needs L = MaxLength, like the official code.
    /// </summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor u, [Shape("B L")] Tensor mask) => ForwardCarrying(m, u, mask, null).Output;

    /// <summary>
    /// <see cref="Forward"/> with the previous block's <paramref name="previous"/> source for this
    /// attention's summary slots (null for the first block, or without slots), returning this
    /// block's source for the next one as well.
    /// </summary>
    public (Tensor Output, SummarySource Source) ForwardCarrying(Module m, Tensor u, Tensor mask, SummarySource? previous)
    {
        var features = Features(m, u);                                         // [B, L, 2, Dim]
        var rotated = Rotate(m, features, mask);
        var source = new SummarySource(features.select(2, 1), u, mask);
        if (Mode == AttentionMode.Global)
            return (LinearAttention.Global(features.select(2, 0), features.select(2, 1), rotated.select(2, 0), rotated.select(2, 1), u, Heads)
                + Shortcut(m, u), source);
        // Causal: padding leaves every sum and is zeroed before the convolution, so it never
        // reaches a real position.
        using var priorS = m.Slots.Count > 0 ? m.Slots[0].PriorState(u.dtype) : null;
        using var priorZ = m.Slots.Count > 0 ? m.Slots[0].PriorKeys(u.dtype) : null;
        var (local, keyDot) = SlotTerms(m, features.select(2, 0), previous);
        var causal = LinearAttention.Causal(
            Split(features.select(2, 0)), Split(features.select(2, 1)), Split(rotated.select(2, 0)), Split(rotated.select(2, 1)), Split(u), mask, Chunk,
            priorS, priorZ, RegisterCount(m),
            local is null ? null : Split(local), keyDot?.transpose(1, 2).unsqueeze(-1), SummaryCount(m));
        return (Merge(causal) + Shortcut(m, u * mask.unsqueeze(-1).to_type(u.dtype)), source);
    }

    /// <summary>The number of summary slots each position sees (0 without them).</summary>
    public int SummaryCount(Module m) => m.Summary.Count == 0 ? 0 : m.Summary[0].Spec.Count;

    /// <summary>
    /// The summary slots' terms for query features q [B, L, Dim] (numerator [B, L, Dim], key term
    /// [B, L, Heads]), or nulls without slots; with <paramref name="positions"/> [B], q is [B, 1, Dim]
    /// read there. A block with slots needs the previous block's source.
    /// </summary>
    private (Tensor? Numerator, Tensor? KeyDot) SlotTerms(Module m, Tensor q, SummarySource? previous, Tensor? positions = null)
    {
        if (m.Summary.Count == 0) return (null, null);
        if (previous is null)
            throw new InvalidOperationException($"{m.DisplayPath} has summary slots but no previous block's source (summary slots start at the second block).");
        if (positions is null)
        {
            using var all = m.Summary[0].forward(previous.Keys, previous.Values, previous.Mask);
            return Terms(q, all);
        }
        using var at = m.Summary[0].ForwardAt(previous.Keys, previous.Values, previous.Mask, positions);
        return Terms(q, at);
    }

    /// <summary>
    /// <see cref="SummarySlots.Terms"/>, declared with this attention's dims so that summary slots
    /// built with another width or count than it fail the build at their construction (GRELA001).
    /// </summary>
    private (Tensor Numerator, Tensor KeyDot) Terms([Shape("... Dim")] Tensor q, [Shape("... Summaries Dim*2")] Tensor slots) =>
        SummarySlots.Terms(q, slots, Heads);

    /// <summary>
    /// The output at one position per row, positions [B] -> [B, 1, Dim]: row b of
    /// <see cref="Forward"/> at positions[b], with the sums over the whole input but the rest computed
    /// only where it is read (the last block of a model read at one position).
    /// </summary>
    [return: Shape("B 1 Dim")]
    public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor u, [Shape("B L")] Tensor mask, [Shape("B")] Tensor positions, SummarySource? previous = null)
    {
        var features = Features(m, u);
        var rotated = Rotate(m, features, mask);
        var q = Readout.At(features.select(2, 0), positions);
        var qr = Readout.At(rotated.select(2, 0), positions);
        if (Mode == AttentionMode.Global)
        {
            var (kv, kMean) = LinearAttention.GlobalSums(features.select(2, 1), rotated.select(2, 1), u, Heads);
            return LinearAttention.GlobalRead(q, qr, kv, kMean, Heads) + Readout.At(Shortcut(m, u), positions);
        }
        var upToRead = torch.arange(u.shape[1], ScalarType.Int64, u.device).unsqueeze(0).le(positions.unsqueeze(1));
        using var priorS = m.Slots.Count > 0 ? m.Slots[0].PriorState(u.dtype) : null;
        using var priorZ = m.Slots.Count > 0 ? m.Slots[0].PriorKeys(u.dtype) : null;
        var (local, keyDot) = SlotTerms(m, q, previous, positions);
        var causal = LinearAttention.CausalRead(q, qr, features.select(2, 1), rotated.select(2, 1), u, mask.logical_and(upToRead), Heads,
            priorS, priorZ, RegisterCount(m), local, keyDot, SummaryCount(m));
        return causal + Readout.At(Shortcut(m, u * mask.unsqueeze(-1).to_type(u.dtype)), positions);
    }

    /// <summary>
    /// RoPE of the features [B, L, 2, Dim]: at window positions 0..L-1 (global, as the official code),
    /// or at each item's index among the real items of its row (causal: padding does not advance positions).
    /// </summary>
    public Tensor Rotate(Module m, Tensor features, Tensor mask)
    {
        if (Mode == AttentionMode.Global)
        {
            using var table = Ops.Rope.AsComplex(m.Rope.TableFor(features.shape[1]), features.dtype);
            return Ops.Rope.ApplyComplex(features, table.unsqueeze(1));
        }
        using var rows = m.Rope.ComplexForRows(Positions(mask), features.dtype);
        return Ops.Rope.ApplyComplex(features, rows.unsqueeze(2));
    }

    /// <summary>Position of each item among the real items of its row, mask [B, L] -> [B, L] (int64; padding gets its neighbour's).</summary>
    public static Tensor Positions(Tensor mask) => (mask.to_type(ScalarType.Int64).cumsum(-1) - 1).clamp_min(0);

    /// <summary>Positive kernel features ELU([Q~ | K~]) + 1 as [..., 2, Dim]: index 0 = q, 1 = k.</summary>
    public Tensor Features(Module m, Tensor u)
    {
        var qk = elu(m.Qk.forward(u), 1.0, false).add_(1);
        return qk.view([.. u.shape[..^1], 2, Dim]);
    }

    /// <summary>The local shortcut C = SiLU(causal depthwise conv(u)), u [B, L, Dim].</summary>
    public Tensor Shortcut(Module m, Tensor u) => silu(CausalConv.Forward(u, m.Conv1d.weight, m.Conv1d.bias));

    /// <summary>[B, L, Dim] -> [B, Heads, L, d].</summary>
    public Tensor Split(Tensor x) => x.view(x.shape[0], x.shape[1], Heads, HeadDim).transpose(1, 2);

    /// <summary>[B, Heads, L, d] -> [B, L, Dim].</summary>
    public Tensor Merge(Tensor x) => x.transpose(1, 2).reshape(x.shape[0], x.shape[2], Dim);
}
