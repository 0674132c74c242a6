using Grela.IO;
using Grela.Models;
using Grela.Models.Baselines;
using Grela.Models.RecGrela;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>
/// A baseline (sasrec, gru4rec, linrec, mamba4rec) from a config: dim, layers, heads, dropout and
/// max-len map onto <see cref="BaselineOptions"/>. The attention key chooses the training style as
/// for RecGRELA (<see cref="IModelFactory.StyleFor"/>; global trains RecBole's way, one sample per prefix). Weights move under the model's state-dict names through TorchSharp.PyBridge.
/// </summary>
internal sealed class BaselineFactory(string name) : IModelFactory
{
    public string Name => name;

    /// <summary>
    /// Batch size of the baselines in causal mode, where a sample is a whole sequence with up to
    /// max-len targets (the official 2048 counts prefix samples of one target each).
    /// </summary>
    public const int CausalBatchSize = 128;

    /// <summary>The paper's dropout, shared by every baseline.</summary>
    private const double PaperDropout = 0.2;

    /// <summary>Read from the model's own spec: a Transformer with softmax attention (sasrec).</summary>
    public bool SoftmaxAttention { get; } =
        BaselineModels.Spec(name, new BaselineOptions(ItemCount: 2, MaxLength: 1)) is TransformerRecommender { Kind: AttentionKind.Softmax };

    /// <summary>
    /// The shared training defaults (the <see cref="TrainingConfig"/> initialisers) with the model's
    /// own width, depth and heads (<see cref="BaselineModels.Defaults"/>), the paper's dropout 0.2 and
    /// no drop-path; in causal mode, <see cref="CausalBatchSize"/>.
    /// </summary>
    public TrainingConfig Defaults(AttentionMode attention)
    {
        var d = BaselineModels.Defaults(name);
        var config = new TrainingConfig { Model = name, Dim = d.Hidden, Layers = d.Layers, Heads = d.Heads, Dropout = PaperDropout, DropPath = 0 };
        return attention == AttentionMode.Causal ? config with { BatchSize = CausalBatchSize } : config;
    }

    private static BaselineOptions Options(TrainingConfig config, int itemCount) =>
        new(itemCount, config.MaxLen, config.Dropout, config.Dim, config.Layers, config.Heads);

    public ISequentialModel Create(TrainingConfig config, int itemCount, Device device) =>
        BaselineModels.Create(name, Options(config, itemCount), device);

    /// <summary>
    /// The item count and width from the item embedding, the window from learned positions
    /// (sasrec, linrec); layers and heads come from options or the model's defaults.
    /// </summary>
    public WeightsInfo Inspect(string path, WeightFormat format)
    {
        var shapes = WeightFiles.Shapes(path, format);
        var (items, dim) = WeightShapes.ItemTable(shapes, BaselineModels.ItemEmbeddingKey, $"--weights {path}", name);
        var values = new List<KeyValuePair<string, RawValue>> { new("dim", RawValue.Of(dim)) };
        if (shapes.TryGetValue(PositionKey, out var positions) && positions.Length == 2)
            values.Add(new("max-len", RawValue.Of((int)positions[0])));
        return new WeightsInfo(items, new ConfigSource($"weights {path}", values));
    }

    /// <summary>Learned position table [L, D] of the Transformer baselines.</summary>
    private const string PositionKey = "position_embedding.weight";

    public void Export(ISequentialModel model, WeightFormat format, string path) => WeightFiles.Save(model.Module, format, path);

    public void Import(ISequentialModel model, WeightFormat format, string path) => WeightFiles.Load(model.Module, format, path);
}
