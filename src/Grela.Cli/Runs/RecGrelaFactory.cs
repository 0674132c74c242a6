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

    public string Name => RecGrelaRecommender.ModelName;

    /// <summary>Linear attention: no [L, L] maps are kept.</summary>
    public bool SoftmaxAttention => false;

    /// <summary>The official configuration (the <see cref="TrainingConfig"/> initialisers); in causal mode, <see cref="CausalRecipe"/>.</summary>
    public TrainingConfig Defaults(AttentionMode attention)
    {
        var config = new TrainingConfig { Model = Name };
        return attention == AttentionMode.Causal ? CausalRecipe(config) : config;
    }

    /// <summary>
    /// Causal RecGRELA's training recipe, chosen by the ML-1M runs in docs/accuracy.md: batches of 32
    /// sequences (about 3,600 targets, near the official step of 2,048 prefixes) at a higher learning
    /// rate with warm-up, gradient clipping and a cosine decay to a tenth over the planned epochs,
    /// length-bucketed batches without their trailing padding (about 40% less work), and every
    /// window of a long history. On ML-1M an epoch takes 1.5 (AMD EPYC) to 2.3 (Xeon 2.8 GHz) minutes
    /// on 2 CPU cores: 36 epochs end the decay inside an hour on the first; on the second an hour
    /// stops the plan near epoch 25, where the first machine's run stood level on validation with a
    /// 22-epoch plan that ends its decay in time (docs/accuracy.md, run default-22).
    /// </summary>
    public static TrainingConfig CausalRecipe(TrainingConfig config) => config with
    {
        Epochs = 36,
        BatchSize = 32,
        Lr = 3e-3,
        LrSchedule = "cosine",
        WarmupSteps = 200,
        LrFloor = 0.1,
        ClipNorm = 1,
        LengthBuckets = 16,
        Windows = "all",
    };

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
