using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// One GRELA block: X = LN1(H); G = SiLU(act_proj X); Y = out_proj(attn(in_proj X) * G);
/// H' = H + DropPath(Y); H_out = H' + MLP(LN2 H'). Without <see cref="Residual"/> (the official
/// single-block quirk) it is MLP(LN2(DropPath(Y))).
/// </summary>
public sealed partial record GrelaBlock(int Dim, int Heads, int MaxLength, AttentionMode Mode, double Dropout, double DropPathRate, bool Residual)
{
    /// <summary>h [B, L, Dim], mask [B, L] -> [B, L, Dim].</summary>
    public Tensor Forward(Module m, Tensor h, Tensor mask) => Apply(m, h, u => m.Attn.forward(u, mask));

    /// <summary>
    /// The block around its token mixer (u -> A + C), shared by the parallel forward and the
    /// streaming step (which passes L = 1 and a mixer that updates its state).
    /// </summary>
    public Tensor Apply(Module m, Tensor h, Func<Tensor, Tensor> mix)
    {
        var x = m.Norm1.forward(h);
        var gate = silu(m.ActProj.forward(x));
        var y = m.OutProj.forward(mix(m.InProj.forward(x)) * gate);
        if (!Residual) return m.Mlp.forward(m.Norm2.forward(m.DropPath.forward(y)));
        var h1 = h + m.DropPath.forward(y);
        return h1 + m.Mlp.forward(m.Norm2.forward(h1));
    }
}
