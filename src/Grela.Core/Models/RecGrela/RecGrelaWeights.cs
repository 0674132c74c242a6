using System.Globalization;
using Grela.Errors;
using Grela.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// Moving RecGRELA weights in and out under the official PyTorch state_dict names
/// (<c>item_embedding.weight</c>, <c>GRELA_block.{i}.attn.qk.weight</c>, ...), e.g. from a
/// safetensors export of the official model.
/// </summary>
public static class RecGrelaWeights
{
    /// <summary>Metadata keys written with a model (the names the parity fixtures use).</summary>
    public const string ItemsKey = "n_items", DimKey = "hidden_size", HeadsKey = "num_heads", LayersKey = "num_layers", MaxLengthKey = "max_len", ModeKey = "attention_mode";

    /// <summary>
    /// Copies <paramref name="weights"/> into every entry of the module's state_dict (parameters and
    /// buffers; dtypes are converted). Every missing, unexpected or misshaped name is reported at once
    /// in one <see cref="UserInputException"/> naming <paramref name="source"/>; nothing is changed then.
    /// </summary>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var target = module.state_dict();
        var problems = WeightShapes.Misfits(
            [.. target.Select(p => KeyValuePair.Create(p.Key, p.Value.shape))],
            weights.ToDictionary(p => p.Key, p => p.Value.shape),
            name => !weights[name].is_floating_point() && target[name].is_floating_point()
                ? $"\"{name}\" has type {weights[name].dtype}, expected a floating-point tensor" : null);
        if (problems.Count > 0)
            throw WeightShapes.MisfitError(source, "RecGRELA", problems);
        using var _ = no_grad();
        foreach (var (name, tensor) in target)
            tensor.copy_(weights[name]);
    }

    /// <summary>Reads a safetensors file into a module (see <see cref="Load"/>); entries whose names start with one of <paramref name="ignorePrefixes"/> are skipped.</summary>
    public static void LoadFile(nn.Module module, string path, params string[] ignorePrefixes)
    {
        using var content = Safetensors.Read(path);
        Load(module, Without(content.Tensors, ignorePrefixes), path);
    }

    /// <summary>The entries whose names start with none of the prefixes.</summary>
    public static IReadOnlyDictionary<string, Tensor> Without(IReadOnlyDictionary<string, Tensor> weights, params string[] prefixes) =>
        weights.Where(kv => !prefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal))).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Writes the module's state_dict and the spec as metadata to a safetensors file (atomically).</summary>
    public static void Save(RecGrelaModel.Module module, string path) => Safetensors.Write(path, module.state_dict(), Metadata(module.Spec));

    /// <summary>The spec as string metadata (official key names where they exist).</summary>
    public static IReadOnlyDictionary<string, string> Metadata(RecGrelaModel spec) => new Dictionary<string, string>
    {
        [ItemsKey] = spec.Items.ToString(CultureInfo.InvariantCulture),
        [DimKey] = spec.Dim.ToString(CultureInfo.InvariantCulture),
        [HeadsKey] = spec.Heads.ToString(CultureInfo.InvariantCulture),
        [LayersKey] = spec.Layers.ToString(CultureInfo.InvariantCulture),
        [MaxLengthKey] = spec.MaxLength.ToString(CultureInfo.InvariantCulture),
        [ModeKey] = spec.Mode.ToString(),
    };

    /// <summary>
    /// The spec that fits official weights: Items, Dim, Layers and MaxLength come from the tensor shapes
    /// (<see cref="RecGrelaWeightFacts"/>); Heads (not visible in the weights) from <paramref name="heads"/>
    /// or the metadata key <c>num_heads</c>; the mode from <paramref name="mode"/>, else the metadata key
    /// <c>attention_mode</c> (written by <see cref="Save"/>), else Causal when the file holds register or
    /// summary slots (causal-only tensors), else Global (official weights). Registers and summary slots from their shapes.
    /// </summary>
    public static RecGrelaModel SpecFrom(IReadOnlyDictionary<string, Tensor> weights, IReadOnlyDictionary<string, string> metadata,
        string source, AttentionMode? mode = null, int? heads = null)
    {
        var facts = RecGrelaWeightFacts.Read(weights.ToDictionary(p => p.Key, p => p.Value.shape), metadata, source);
        if (mode is null)
            mode = Enum.TryParse<AttentionMode>(facts.ImpliedMode, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new UserInputException($"{source}: metadata \"{ModeKey}\" is \"{facts.Mode}\", expected one of {string.Join(", ", Enum.GetNames<AttentionMode>())}.");
        var maxLength = facts.MaxLength
            ?? throw new UserInputException($"{source}: expected a tensor \"{RecGrelaWeightFacts.RotationsKey}\" (official RecGRELA weights), found none.");
        var h = heads ?? (facts.Heads is > 0 and var stored ? stored
            : throw new UserInputException($"{source}: the number of heads is not stored in the weights; expected metadata \"{HeadsKey}\" as a positive integer{(metadata.TryGetValue(HeadsKey, out var bad) ? $", got \"{bad}\"" : "")}, or give it explicitly."));
        return new RecGrelaModel(Items: facts.Items, Dim: facts.Dim, Heads: h, Layers: facts.Layers, MaxLength: maxLength, Mode: mode.Value,
            Registers: facts.Registers, SummarySlots: facts.SummarySlots);
    }
}
