using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// One GRELA block: X = LN1(H); G = SiLU(act_proj X); Y = out_proj(attn(in_proj X) * G);
/// H' = H + DropPath(Y); H_out = H' + MLP(LN2 H'). Without <see cref="Residual"/> (the official
/// single-block quirk) it is MLP(LN2(DropPath(Y))).
/// </summary>
[Layer]
public sealed partial record GrelaBlock(
    [Positive] int Dim, [Positive, Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads, [Positive] int MaxLength, AttentionMode Mode,
    [Rate] double Dropout, [Rate] double DropPathRate, bool Residual, int Registers = 0, bool DropPathPerPosition = false, int Summaries = 0)
{
    [Sub("attn")] public RelaAttention Attn => new(Dim, Heads, MaxLength, Mode, Registers: Registers, Summaries: Summaries);
    [Sub("in_proj")] public Linear InProj => new(Dim, Dim);
    [Sub("out_proj")] public Linear OutProj => new(Dim, Dim);
    [Sub("LayerNorm1")] public LayerNorm Norm1 => new(Dim);
    [Sub("LayerNorm2")] public LayerNorm Norm2 => new(Dim);
    [Sub("mlp")] public Mlp Mlp => new(Dim, Dropout);
    [Sub("act_proj")] public Linear ActProj => new(Dim, Dim);
    [Sub("drop_path")] public DropPath DropPath => new(DropPathRate, DropPathPerPosition);

    /// <summary>h [B, L, Dim], mask [B, L] -> [B, L, Dim].</summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor h, [Shape("B L")] Tensor mask) => Apply(m, h, u => m.Attn.forward(u, mask));

    /// <summary>
    /// The block's output at one position per row, h [B, L, Dim], positions [B] -> [B, 1, Dim]: the
    /// attention sums see every position, everything else runs only at the read position.
    /// </summary>
    [return: Shape("B 1 Dim")]
    public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor h, [Shape("B L")] Tensor mask, [Shape("B")] Tensor positions, SummarySource? previous = null)
    {
        var (x, u) = MixerInput(m, h);
        return Around(m, Readout.At(h, positions), Readout.At(x, positions), m.Attn.ForwardAt(u, mask, positions, previous));
    }

    /// <summary>
    /// <see cref="Forward"/> for a model with summary slots: takes the previous block's source (null
    /// for the first block) and returns this block's for the next.
    /// </summary>
    public (Tensor Output, SummarySource Source) ForwardCarrying(Module m, Tensor h, Tensor mask, SummarySource? previous)
    {
        SummarySource? own = null;
        var output = Apply(m, h, u =>
        {
            var (mixed, source) = m.Attn.ForwardCarrying(u, mask, previous);
            own = source;
            return mixed;
        });
        return (output, own!);
    }

    /// <summary>
    /// The block around its token mixer (u -> A + C), shared by the parallel forward, the streaming
    /// prefill (a mixer that also folds u into the state) and the streaming step (which passes L = 1,
    /// a mixer that updates its state and <paramref name="few"/>, see <see cref="Mlp.ForwardFew"/>).
    /// </summary>
    public Tensor Apply(Module m, Tensor h, Func<Tensor, Tensor> mix, bool few = false)
    {
        var (x, u) = MixerInput(m, h);
        return Around(m, h, x, mix(u), few);
    }

    /// <summary>The normalised input X = LN1(H) and the mixer input U = in_proj(X), h [B, L, Dim] -> both [B, L, Dim].</summary>
    public (Tensor X, Tensor U) MixerInput(Module m, Tensor h)
    {
        var x = m.Norm1.forward(h);
        return (x, m.InProj.forward(x));
    }

    /// <summary>The block from the mixer's output on: Y = out_proj(mixed * SiLU(act_proj X)), then the residuals and the MLP.</summary>
    private Tensor Around(Module m, Tensor h, Tensor x, Tensor mixed, bool few = false)
    {
        Tensor Mlp(Tensor v) => few ? m.Mlp.ForwardFew(v) : m.Mlp.forward(v);
        var gate = silu(m.ActProj.forward(x));
        var y = m.OutProj.forward(mixed * gate);
        if (!Residual) return Mlp(m.Norm2.forward(m.DropPath.forward(y)));
        var h1 = h + m.DropPath.forward(y);
        return h1 + Mlp(m.Norm2.forward(h1));
    }
}
