using System.Globalization;
using Grela.Errors;
using Grela.IO;
using Grela.Models;
using Grela.Models.RecGrela;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>
/// RecGRELA from a config: attention causal trains every position in one pass; global is the
/// official computation (prefix samples, right padding, window exactly max-len). Weights use the
/// official PyTorch names; safetensors files also carry the spec as metadata.
/// </summary>
internal sealed class RecGrelaFactory : IModelFactory
{
    private const string EmbeddingKey = "item_embedding.weight";
    private const string RotationsKey = "GRELA_block.0.attn.rope.rotations";

    public string Name => "recgrela";

    public static RecGrelaModel Spec(TrainingConfig config, int itemCount) => new(
        Items: itemCount,
        Dim: config.Dim,
        Heads: config.Heads,
        Layers: config.Layers,
        MaxLength: config.MaxLen,
        Mode: config.AttentionMode,
        Dropout: config.Dropout,
        DropPathRate: config.DropPath,
        Registers: config.Registers);

    public ISequentialModel Create(TrainingConfig config, int itemCount, Device device) =>
        RecGrelaRecommender.Create(Spec(config, itemCount), device);

    /// <summary>
    /// Items, dim, layers and max-len from the tensor shapes (safetensors header, or the .pt file's
    /// pickled state dict); heads and attention from the metadata grela writes into safetensors.
    /// Official weights have no metadata: they come from the global model, so attention defaults to
    /// global for them.
    /// </summary>
    public WeightsInfo Inspect(string path, WeightFormat format)
    {
        IReadOnlyDictionary<string, long[]> shapes;
        IReadOnlyDictionary<string, string> metadata;
        if (format == WeightFormat.Safetensors)
        {
            using var content = Safetensors.Read(path);
            shapes = WeightFiles.Plausible(path, content.Tensors.ToDictionary(p => p.Key, p => p.Value.shape));
            metadata = content.Metadata;
        }
        else
        {
            shapes = WeightFiles.Shapes(path, format);
            metadata = new Dictionary<string, string>();
        }
        if (!shapes.TryGetValue(EmbeddingKey, out var embedding) || embedding.Length != 2)
            throw new UserInputException($"--weights {path}: no 2-D \"{EmbeddingKey}\" tensor, so this is not a RecGRELA state dict");
        var layers = 0;
        while (shapes.ContainsKey($"GRELA_block.{layers}.in_proj.weight"))
            layers++;
        var values = new List<KeyValuePair<string, RawValue>>
        {
            new("dim", RawValue.Of((int)embedding[1])),
            new("layers", RawValue.Of(layers)),
        };
        if (shapes.TryGetValue(RotationsKey, out var rotations) && rotations.Length > 0)
            values.Add(new("max-len", RawValue.Of((int)rotations[0])));
        if (metadata.TryGetValue(RecGrelaWeights.HeadsKey, out var heads) && int.TryParse(heads, NumberStyles.None, CultureInfo.InvariantCulture, out var h))
            values.Add(new("heads", RawValue.Of(h)));
        var mode = metadata.GetValueOrDefault(RecGrelaWeights.ModeKey, nameof(AttentionMode.Global));
        values.Add(new("attention", RawValue.Of(mode.ToLowerInvariant())));
        return new WeightsInfo(checked((int)embedding[0]), new ConfigSource($"weights {path}", values));
    }

    public void Export(ISequentialModel model, WeightFormat format, string path)
    {
        if (format == WeightFormat.Safetensors && model is RecGrelaRecommender recgrela)
            RecGrelaWeights.Save(recgrela.Network, path);
        else
            WeightFiles.Save(model.Module, format, path);
    }

    public void Import(ISequentialModel model, WeightFormat format, string path)
    {
        if (format == WeightFormat.Safetensors)
            RecGrelaWeights.LoadFile(model.Module, path);
        else
            WeightFiles.Load(model.Module, format, path);
    }
}
