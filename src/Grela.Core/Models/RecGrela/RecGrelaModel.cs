using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// RecGRELA (Hu et al. 2025) for <see cref="Items"/> item ids (id 0 = padding): embedding ->
/// dropout -> LayerNorm -> <see cref="Layers"/> GRELA blocks; scores are tied-embedding dot products.
/// Defaults are the paper's ML-1M configuration. State_dict names are the official ones.
/// <see cref="Registers"/> (causal mode only) adds learned register slots to every block's attention
/// (<see cref="RegisterSlots"/>; extra parameters that the official code does not have).
/// <see cref="SummarySlots"/> (causal mode only) gives every position of blocks 2 on that many slots
/// read from the block before (<see cref="RecGrela.SummarySlots"/>; extra parameters too).
/// <see cref="DropPathPerPosition"/> draws stochastic depth per position instead of per sequence
/// (<see cref="DropPath"/>).
/// </summary>
/// <example><c>new RecGrelaModel(Items: 3417, Mode: AttentionMode.Causal).Build()</c></example>
[Layer]
public sealed partial record RecGrelaModel(
    [Positive] int Items,
    [Positive] int Dim = 64,
    // Rotary encoding turns channel pairs, so each head's width Dim / Heads must be even (see RelaAttention).
    [Positive, Divides(nameof(Dim), QuotientMultipleOf = 2)] int Heads = 4,
    [Positive] int Layers = 4,
    [Positive] int MaxLength = 200,
    AttentionMode Mode = AttentionMode.Global,
    [Rate] double Dropout = 0.1,
    [Rate] double DropPathRate = 0.1,
    int Registers = 0,
    bool DropPathPerPosition = false,
    int SummarySlots = 0)
{
    [Sub("item_embedding")] public Embedding ItemEmbedding => new(Items, Dim, PaddingIdx: 0);
    [Sub("LayerNorm")] public LayerNorm Norm => new(Dim);
    [Sub("dropout")] public LeanDropout Drop => new(Dropout);
    [Sub("GRELA_block")] public LayerList<GrelaBlock> Blocks =>
        LayerList.Repeat(Layers, i => new GrelaBlock(Dim, Heads, MaxLength, Mode, Dropout, DropPathRate, Residual, Registers, DropPathPerPosition,
            Summaries: i == 0 ? 0 : SummarySlots));

    /// <summary>Whether blocks keep their residual connections (the official code drops them with one block).</summary>
    public bool Residual => Layers > 1 || Mode == AttentionMode.Causal;

    /// <summary>items [B, L] (int64, 0 = padding) -> hidden states [B, L, Dim] at every position.</summary>
    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L")] Tensor items)
    {
        var mask = items.ne(0);
        var h = Embed(m, items);
        if (SummarySlots == 0)
        {
            foreach (var block in m.Blocks) h = block.forward(h, mask);
            return h;
        }
        SummarySource? source = null;
        foreach (var block in m.Blocks) (h, source) = block.ForwardCarrying(h, mask, source);
        return h;
    }

    /// <summary>
    /// The hidden state at one position per row, items [B, L], positions [B] (int64) -> [B, Dim]:
    /// equal to Forward(items)[b, positions[b]], but the last block runs its gate, projections and
    /// MLP only at the read positions.
    /// </summary>
    [return: Shape("B Dim")]
    public Tensor ForwardAt(Module m, [Shape("B L")] Tensor items, [Shape("B")] Tensor positions)
    {
        var mask = items.ne(0);
        var h = Embed(m, items);
        SummarySource? source = null;
        for (int i = 0; i < m.Blocks.Count - 1; i++)
        {
            if (SummarySlots == 0) h = m.Blocks[i].forward(h, mask);
            else (h, source) = m.Blocks[i].ForwardCarrying(h, mask, source);
        }
        var last = m.Blocks[m.Blocks.Count - 1];
        return last.ForwardAt(h, mask, positions, source).squeeze(1);
    }

    /// <summary>H0 = LayerNorm(Dropout(E[items])).</summary>
    public Tensor Embed(Module m, Tensor items) => m.Norm.forward(m.Drop.forward(m.ItemEmbedding.forward(items)));

    /// <summary>
    /// The official initialisation: Linear and Embedding weights N(0, 0.02) (the padding row too: it
    /// stays a fixed random vector because padding_idx blocks its gradient), Linear biases 0,
    /// LayerNorm 1 / 0; the convolution keeps its default init.
    /// </summary>
    [Init]
    public void Init(Module m)
    {
        using var _ = no_grad();
        foreach (var module in m.modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Linear linear:
                    linear.weight!.normal_(0, 0.02);
                    linear.bias?.zero_();
                    break;
                case TorchSharp.Modules.Embedding embedding:
                    embedding.weight!.normal_(0, 0.02);
                    break;
                case TorchSharp.Modules.LayerNorm norm:
                    norm.weight!.fill_(1);
                    norm.bias!.zero_();
                    break;
            }
        }
    }
}
