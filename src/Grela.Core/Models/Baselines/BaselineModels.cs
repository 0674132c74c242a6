using Grela.Errors;
using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.Baselines;

/// <summary>
/// The baseline recommenders by name: their layer records (for inspection and <c>with</c>
/// ablations) and built <see cref="ISequentialModel"/>s. Defaults (paper settings / official configs):
/// <list type="bullet">
/// <item><c>gru4rec</c>: embedding 64, GRU hidden 128, 1 layer.</item>
/// <item><c>sasrec</c>: hidden 64, 2 blocks, 2 heads, FFN inner 256 (RecBole), learned positions.</item>
/// <item><c>linrec</c>: hidden 128, 2 blocks, 8 heads, FFN inner 256 (RecBole), learned positions.</item>
/// <item><c>mamba4rec</c>: hidden 64, 1 layer, d_state 32, d_conv 4, expand 2, FFN inner 4 x hidden.</item>
/// </list>
/// All use dropout 0.2, padding id 0, tied item embeddings and cross-entropy over all items. A
/// hidden width other than the default gives the Transformers an FFN inner width of 4 x hidden.
/// </summary>
public static class BaselineModels
{
    /// <summary>
    /// The names <see cref="Create"/> accepts, in the order the command line lists models (after
    /// recgrela). The one written list of baseline names: the run layer's model list is built from it.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["sasrec", "gru4rec", "linrec", "mamba4rec"];

    /// <summary>State-dict key of the item embedding [N, D] in every baseline.</summary>
    public const string ItemEmbeddingKey = "item_embedding.weight";

    /// <summary>
    /// The default width, depth and heads of baseline <paramref name="name"/> (what a null field of
    /// <see cref="BaselineOptions"/> means; heads are 1 for the models without attention).
    /// </summary>
    /// <exception cref="UserInputException">Unknown name.</exception>
    public static BaselineDefaults Defaults(string name) => name.ToLowerInvariant() switch
    {
        "gru4rec" => new(Hidden: 64, Layers: 1, Heads: 1),
        "sasrec" => new(Hidden: 64, Layers: 2, Heads: 2),
        "linrec" => new(Hidden: 128, Layers: 2, Heads: 8),
        "mamba4rec" => new(Hidden: 64, Layers: 1, Heads: 1),
        _ => throw new UserInputException($"unknown model '{name}': expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>The layer record of baseline <paramref name="name"/> with its defaults and the overrides in <paramref name="o"/>.</summary>
    /// <exception cref="UserInputException">Unknown name.</exception>
    public static ILayer Spec(string name, BaselineOptions o)
    {
        var d = Defaults(name);
        var (dim, layers, heads) = (o.Hidden ?? d.Hidden, o.Layers ?? d.Layers, o.Heads ?? d.Heads);
        var inner = dim == d.Hidden ? RecBoleInnerSize : 4 * dim;
        return name.ToLowerInvariant() switch
        {
            "gru4rec" => new Gru4Rec(o.ItemCount, dim, Hidden: GruHidden, layers, o.Dropout),
            "sasrec" => new TransformerRecommender(o.ItemCount, o.MaxLength, dim, heads, inner, layers, o.Dropout, AttentionKind.Softmax),
            "linrec" => new TransformerRecommender(o.ItemCount, o.MaxLength, dim, heads, inner, layers, o.Dropout, AttentionKind.LinRec),
            _ => new Mamba4Rec(o.ItemCount, dim, layers, DState: 32, DConv: 4, Expand: 2, o.Dropout),
        };
    }

    /// <summary>
    /// Builds baseline <paramref name="name"/> (validating its hyperparameters, all violations in one
    /// error) on <paramref name="device"/> (CPU if null).
    /// </summary>
    /// <exception cref="UserInputException">Unknown name, or hyperparameters that violate a constraint.</exception>
    public static TiedEmbeddingRecommender Create(string name, BaselineOptions o, Device? device = null)
    {
        var spec = Spec(name, o);
        var violations = spec.Violations("");
        if (!violations.IsEmpty)
            throw new UserInputException($"invalid options for '{name}': {string.Join("; ", violations)}");
        return spec switch
        {
            Gru4Rec g => Wrap(g.Build(device), m => m.ItemEmbedding.weight!),
            TransformerRecommender t => Wrap(t.Build(device), m => m.ItemEmbedding.weight!),
            Mamba4Rec m4 => Wrap(m4.Build(device), m => m.ItemEmbedding.weight!),
            _ => throw new InvalidOperationException($"no builder for {spec.GetType().Name}"),
        };
    }

    /// <summary>RecBole's default FFN inner size, used by the SASRec and LinRec configurations.</summary>
    private const int RecBoleInnerSize = 256;

    /// <summary>RecBole's default GRU4Rec hidden size (the embedding width is the model's Hidden).</summary>
    private const int GruHidden = 128;

    private static TiedEmbeddingRecommender Wrap<TModule>(TModule module, Func<TModule, Tensor> itemTable)
        where TModule : nn.Module<Tensor, Tensor> => new(module, () => itemTable(module));
}
