using Grela.Ops;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// Rotary-enhanced linear attention with the local shortcut, applied to U = in_proj(X):
/// [Q~ | K~] = U W_qk + b; Q, K = ELU + 1; Q^R, K^R = RoPE; V = U; per head
/// A = RELA(Q, K, Q^R, K^R, V) (global or causal); C = SiLU(causal depthwise conv_4(U)); returns A + C.
/// </summary>
public sealed partial record RelaAttention(int Dim, int Heads, int MaxLength, AttentionMode Mode, int Chunk = 32)
{
    /// <summary>Head width d = Dim / Heads.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Kernel of the local shortcut.</summary>
    public const int ConvKernel = 4;

    /// <summary>
    /// u [B, L, Dim], mask [B, L] (1 real item, 0 padding; only causal mode reads it) -> [B, L, Dim].
    /// Global mode needs L = MaxLength, like the official code.
    /// </summary>
    public Tensor Forward(Module m, Tensor u, Tensor mask)
    {
        var (q, k) = Features(m, u);
        var qr = m.Rope.forward(q);
        var kr = m.Rope.forward(k);
        var a = Mode == AttentionMode.Global
            ? LinearAttention.Global(Split(q), Split(k), Split(qr), Split(kr), Split(u))
            : LinearAttention.Causal(Split(q), Split(k), Split(qr), Split(kr), Split(u), mask, Chunk);
        // Causal mode zeroes padding before the convolution so it never reaches a real position.
        var shortcut = Shortcut(m, Mode == AttentionMode.Causal ? u * mask.unsqueeze(-1).to_type(u.dtype) : u);
        return Merge(a) + shortcut;
    }

    /// <summary>Positive kernel features: q, k = ELU([Q~ | K~]) + 1, each [..., Dim].</summary>
    public (Tensor Q, Tensor K) Features(Module m, Tensor u)
    {
        var qk = elu(m.Qk.forward(u), 1.0, false) + 1;
        return (qk.narrow(-1, 0, Dim), qk.narrow(-1, Dim, Dim));
    }

    /// <summary>The local shortcut C = SiLU(causal depthwise conv(u)), u [B, L, Dim].</summary>
    public Tensor Shortcut(Module m, Tensor u) => silu(CausalConv.Forward(u, m.Conv1d.weight!, m.Conv1d.bias!));

    /// <summary>[B, L, Dim] -> [B, Heads, L, d].</summary>
    public Tensor Split(Tensor x) => x.view(x.shape[0], x.shape[1], Heads, HeadDim).transpose(1, 2);

    /// <summary>[B, Heads, L, d] -> [B, L, Dim].</summary>
    public Tensor Merge(Tensor x) => x.transpose(1, 2).reshape(x.shape[0], x.shape[2], Dim);
}
