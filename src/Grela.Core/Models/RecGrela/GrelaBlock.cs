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
    [Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads, [Positive] int MaxLength, AttentionMode Mode,
    [Rate] double Dropout, [Rate] double DropPathRate, bool Residual, int Registers = 0)
{
    [Sub("attn")] public RelaAttention Attn => new(Dim, Heads, MaxLength, Mode, Registers: Registers);
    [Sub("in_proj")] public Linear InProj => new(Dim, Dim);
    [Sub("out_proj")] public Linear OutProj => new(Dim, Dim);
    [Sub("LayerNorm1")] public LayerNorm Norm1 => new(Dim);
    [Sub("LayerNorm2")] public LayerNorm Norm2 => new(Dim);
    [Sub("mlp")] public Mlp Mlp => new(Dim, Dropout);
    [Sub("act_proj")] public Linear ActProj => new(Dim, Dim);
    [Sub("drop_path")] public DropPath DropPath => new(DropPathRate);

    /// <summary>h [B, L, Dim], mask [B, L] -> [B, L, Dim].</summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor h, [Shape("B L")] Tensor mask) => Apply(m, h, u => m.Attn.forward(u, mask));

    /// <summary>
    /// The block's output at one position per row, h [B, L, Dim], positions [B] -> [B, 1, Dim]: the
    /// attention sums see every position, everything else runs only at the read position.
    /// </summary>
    [return: Shape("B 1 Dim")]
    public Tensor ForwardAt(Module m, [Shape("B L Dim")] Tensor h, [Shape("B L")] Tensor mask, [Shape("B")] Tensor positions)
    {
        var u = m.InProj.forward(m.Norm1.forward(h));
        return Apply(m, Readout.At(h, positions), _ => m.Attn.ForwardAt(u, mask, positions));
    }

    /// <summary>
    /// The block around its token mixer (u -> A + C), shared by the parallel forward and the
    /// streaming step (which passes L = 1, a mixer that updates its state and <paramref name="few"/>,
    /// see <see cref="Mlp.ForwardFew"/>).
    /// </summary>
    public Tensor Apply(Module m, Tensor h, Func<Tensor, Tensor> mix, bool few = false)
    {
        Tensor Mlp(Tensor x) => few ? m.Mlp.ForwardFew(x) : m.Mlp.forward(x);
        var x = m.Norm1.forward(h);
        var gate = silu(m.ActProj.forward(x));
        var y = m.OutProj.forward(mix(m.InProj.forward(x)) * gate);
        if (!Residual) return Mlp(m.Norm2.forward(m.DropPath.forward(y)));
        var h1 = h + m.DropPath.forward(y);
        return h1 + Mlp(m.Norm2.forward(h1));
    }
}
