using Grela.Layers;
using Grela.Ops;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// Learned register slots for causal RELA: <see cref="Count"/> virtual tokens with a key and a value
/// each, without a position, that every query attends to besides the real items. The official
/// global form sums over the 200 - n padding slots of its window, a length-dependent learned bias;
/// causal attention has no padding in its sums, and registers give it a learned prior state
/// instead: S0 = sum_r k_r v_r^T and z0 = sum_r k_r per head, with k = ELU(raw) + 1 (positive, as
/// the real keys).
/// </summary>
[Layer]
public sealed partial record RegisterSlots([Positive] int Count, [Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
{
    /// <summary>Raw keys [Count, Dim] (features after ELU + 1).</summary>
    [Parameter("k")]
    public Tensor RawKeys() => randn(Count, Dim) * 0.02;

    /// <summary>Values [Count, Dim].</summary>
    [Parameter("v")]
    public Tensor Values() => randn(Count, Dim) * 0.02;

    /// <summary>
    /// The registers' share of the numerator for rotated queries qr [B, L, Dim]: per head qr S0. (A
    /// layer needs a [Forward]; the attention adds the same term inside its own sums via <see cref="PriorOf"/>.)
    /// </summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor qr)
    {
        var prior = PriorOf(m, qr.dtype);
        long batch = qr.shape[0], length = qr.shape[1], dh = Dim / Heads;
        return qr.view(batch, length, Heads, dh).transpose(1, 2).matmul(prior.S).transpose(1, 2).reshape(batch, length, Dim);
    }

    /// <summary>The prior state: S0 [Heads, d, d], z0 [Heads, d] and the slot count.</summary>
    public LinearAttention.Prior PriorOf(Module m, ScalarType dtype) => new(PriorState(m, dtype), PriorKeys(m, dtype), Count);

    /// <summary>
    /// The prior numerator state S0 = sum_r k_r v_r^T per head, [Heads, d, d]. Declared with its
    /// shape so that the attention's call passing it to <see cref="LinearAttention.Causal"/> checks
    /// this layer's width against the attention's heads.
    /// </summary>
    [return: Shape("Heads Dim/Heads Dim/Heads")]
    public Tensor PriorState(Module m, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        return torch.einsum("rhd,rhe->hde", Keys(m, dtype), ValuesPerHead(m, dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>The prior key sum z0 = sum_r k_r per head, [Heads, d].</summary>
    [return: Shape("Heads Dim/Heads")]
    public Tensor PriorKeys(Module m, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        return Keys(m, dtype).sum(0L, keepdim: false).MoveToOuterDisposeScope();
    }

    /// <summary>Keys k = ELU(raw) + 1 as [Count, Heads, d].</summary>
    private Tensor Keys(Module m, ScalarType dtype) => elu(m.RawKeys.to_type(dtype), 1.0, false).add(1).view(Count, Heads, Dim / Heads);

    /// <summary>Values as [Count, Heads, d].</summary>
    private Tensor ValuesPerHead(Module m, ScalarType dtype) => m.Values.to_type(dtype).view(Count, Heads, Dim / Heads);
}
