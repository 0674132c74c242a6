using Grela.Errors;
using Grela.Models;
using Grela.Models.Baselines;
using Grela.Models.RecGrela;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>
/// A baseline (gru4rec, sasrec, linrec, mamba4rec) from a config: dim, layers, heads, dropout and
/// max-len map onto <see cref="BaselineOptions"/>. The attention key chooses the training style as
/// for RecGRELA: causal trains every position in one pass, global one sample per prefix (RecBole's
/// way). Weights move under the model's state-dict names through TorchSharp.PyBridge.
/// </summary>
internal sealed class BaselineFactory(string name) : IModelFactory
{
    public string Name => name;

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
        if (!shapes.TryGetValue(BaselineModels.ItemEmbeddingKey, out var embedding) || embedding.Length != 2)
            throw new UserInputException($"--weights {path}: no 2-D \"{BaselineModels.ItemEmbeddingKey}\" tensor, so this is not a {name} state dict");
        var values = new List<KeyValuePair<string, RawValue>> { new("dim", RawValue.Of((int)embedding[1])) };
        if (shapes.TryGetValue(PositionKey, out var positions) && positions.Length == 2)
            values.Add(new("max-len", RawValue.Of((int)positions[0])));
        return new WeightsInfo(checked((int)embedding[0]), new ConfigSource($"weights {path}", values));
    }

    /// <summary>Learned position table [L, D] of the Transformer baselines.</summary>
    private const string PositionKey = "position_embedding.weight";

    public void Export(ISequentialModel model, WeightFormat format, string path) => WeightFiles.Save(model.Module, format, path);

    public void Import(ISequentialModel model, WeightFormat format, string path) => WeightFiles.Load(model.Module, format, path);
}
