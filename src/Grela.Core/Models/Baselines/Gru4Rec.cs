using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>
/// GRU4Rec (Hidasi et al., 2016; Tan et al., 2016), as in RecBole: E[s] -> Dropout -> GRU
/// (<see cref="Layers"/> layers, width <see cref="Hidden"/>) -> Linear(Hidden, Dim). Output: the
/// projected state at every position, [B, L, Dim], scored against the item embeddings.
/// </summary>
[Layer]
public sealed partial record Gru4Rec(
    [Positive] int Items,
    [Positive] int Dim,
    [Positive] int Hidden,
    [Positive] int Layers,
    [Rate] double Dropout)
{
    [Sub("item_embedding")] public Embedding ItemEmbedding => new(Items, Dim, PaddingIdx: 0);
    [Sub("emb_dropout")] public DropoutLayer EmbeddingDropout => new(Dropout);
    [Sub("gru_layers")] public Gru Recurrence => new(Dim, Hidden, Layers);
    [Sub("dense")] public Linear Dense => new(Hidden, Dim);

    /// <summary>
    /// RecBole: Xavier-normal embedding, Xavier-uniform GRU weights. RecBole's GRU has no biases;
    /// the <see cref="Gru"/> leaf always has them, so they are zeroed and frozen here, which computes
    /// the same function (they stay in the state_dict as zeros).
    /// </summary>
    [Init]
    public void Init(Module m)
    {
        using var _ = no_grad();
        nn.init.xavier_normal_(m.ItemEmbedding.weight!);
        foreach (var (name, parameter) in m.Recurrence.named_parameters())
        {
            if (name.StartsWith("weight_")) nn.init.xavier_uniform_(parameter);
            else parameter.zero_().requires_grad_(false);
        }
    }

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L")] Tensor items)
    {
        var embedded = m.EmbeddingDropout.forward(m.ItemEmbedding.forward(items));
        var (states, _) = m.Recurrence.forward(embedded);
        return m.Dense.forward(states);
    }
}
