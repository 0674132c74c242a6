using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace Grela.Runs;

/// <summary>
/// A hash that identifies a model's architecture: an explicit list of the hyperparameters that
/// build it (<see cref="Hyperparameters"/>) and every state-dict entry's name, shape and dtype,
/// sorted by name. Nothing in it depends on how a layer record prints itself or on the order code
/// registers modules, so a helper property or a reordered field leaves old checkpoints loadable.
/// Two models with the same fingerprint can exchange weights.
/// </summary>
public static class ModelFingerprint
{
    /// <summary>Prefix of fingerprints in this format; checkpoints without it have format 1 (see <see cref="IsCurrent"/>).</summary>
    public const string Prefix = "fp2-";

    /// <summary>The hyperparameters a model is built from, as "key=value" lines in a fixed order.</summary>
    public static string Hyperparameters(TrainingConfig config, int itemCount) => string.Join('\n',
        $"model={config.Model}",
        $"items={itemCount.ToString(CultureInfo.InvariantCulture)}",
        $"dim={config.Dim.ToString(CultureInfo.InvariantCulture)}",
        $"heads={config.Heads.ToString(CultureInfo.InvariantCulture)}",
        $"layers={config.Layers.ToString(CultureInfo.InvariantCulture)}",
        $"max-len={config.MaxLen.ToString(CultureInfo.InvariantCulture)}",
        $"attention={config.Attention}");

    public static string Of(string hyperparameters, torch.nn.Module module)
    {
        var text = new StringBuilder(hyperparameters).Append('\n');
        foreach (var (name, tensor) in module.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(name).Append(':').Append(string.Join('x', tensor.shape)).Append(':').Append(tensor.dtype).Append('\n');
        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Whether <paramref name="stored"/> is a fingerprint of this format. Format 1 (before it, a hash
    /// of the layer record's text) cannot be recomputed once a record changes: such checkpoints are
    /// checked by loading strictly (every name, shape and dtype must match the model built from the
    /// checkpoint's own config).
    /// </summary>
    public static bool IsCurrent(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>A stored fingerprint is "fp2-" or nothing, then 64 lower-case hex digits.</summary>
    public static bool IsWellFormed(string stored)
    {
        var hex = IsCurrent(stored) ? stored[Prefix.Length..] : stored;
        return hex.Length == 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
    }
}
