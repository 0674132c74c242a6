using Grela.Models;
using Grela.Models.RecGrela;
using Grela.Training;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>
/// RecGRELA from a config: attention causal trains every position in one pass; global is the
/// official computation (prefix samples, right padding, window exactly max-len).
/// </summary>
internal sealed class RecGrelaFactory : IModelFactory
{
    public string Name => "recgrela";

    public string ItemEmbeddingKey => "item_embedding.weight";

    public static RecGrelaModel Spec(TrainingConfig config, int itemCount) => new(
        Items: itemCount,
        Dim: config.Dim,
        Heads: config.Heads,
        Layers: config.Layers,
        MaxLength: config.MaxLen,
        Mode: config.Attention == "global" ? AttentionMode.Global : AttentionMode.Causal,
        Dropout: config.Dropout,
        DropPathRate: config.DropPath);

    public string Describe(TrainingConfig config, int itemCount) => Spec(config, itemCount).ToString();

    public ISequentialModel Create(TrainingConfig config, int itemCount, Device device) =>
        RecGrelaRecommender.Create(Spec(config, itemCount), device);

    public TrainingStyle StyleFor(TrainingConfig config) =>
        config.Attention == "global" ? TrainingStyle.Prefix : TrainingStyle.AllPositions;
}
