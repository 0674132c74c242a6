using Grela.Layers;
using Grela.Ops.Baselines;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>
/// RecBole's post-norm multi-head self-attention sublayer, with a choice of token mixer:
/// Q, K, V = x W_q, x W_k, x W_v split into <see cref="Heads"/> heads; A = mixer(Q, K, V);
/// out = LayerNorm(Dropout(A W_o) + x). Query t sees the real positions s &lt;= t only.
/// </summary>
[Layer]
public sealed partial record MultiHeadAttention(
    [Positive] int Dim,
    [Positive, Divides(nameof(Dim))] int Heads,
    [Rate] double Dropout,
    AttentionKind Kind)
{
    [Sub("query")] public Linear Query => new(Dim, Dim);
    [Sub("key")] public Linear Key => new(Dim, Dim);
    [Sub("value")] public Linear Value => new(Dim, Dim);
    [Sub("dense")] public Linear Dense => new(Dim, Dim);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("out_dropout")] public DropoutLayer OutDropout => new(Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x, [Shape("B L")] Tensor valid)
    {
        var (q, k, v) = (SplitHeads(m.Query.forward(x)), SplitHeads(m.Key.forward(x)), SplitHeads(m.Value.forward(x)));
        var mixed = Kind switch
        {
            AttentionKind.Softmax => SoftmaxAttention.Causal(q, k, v, valid, Dropout, m.training),
            _ => LinRecAttention.Causal(q, k, v, valid),
        };
        var merged = mixed.transpose(1, 2).reshape(x.shape);
        return m.Norm.forward(m.OutDropout.forward(m.Dense.forward(merged)) + x);
    }

    /// <summary>[B, L, Dim] -> [B, Heads, L, Dim/Heads].</summary>
    private Tensor SplitHeads([Shape("B L Dim")] Tensor x) => x.view(x.shape[0], x.shape[1], Heads, Dim / Heads).transpose(1, 2);
}
