using LanguageExt;
using static LanguageExt.Prelude;

namespace Grela.Training;

/// <summary>
/// Merges configuration sources into one <see cref="TrainingConfig"/>: later sources win (callers pass
/// defaults, then the config file, then the command line). Every unknown key, wrong type and
/// out-of-range value is reported at once, each naming the key and where it came from.
/// </summary>
public static class ConfigResolution
{
    public static Validation<string, TrainingConfig> Resolve(TrainingConfig defaults, params ConfigSource[] sources)
    {
        var config = defaults;
        var errors = new List<string>();
        foreach (var source in sources)
        {
            foreach (var (name, raw) in source.Values)
            {
                var key = ConfigCatalogue.Find(name);
                if (key is null)
                {
                    var hint = ConfigCatalogue.Suggest(name) is { } s ? $" (did you mean '{s}'?)" : "";
                    errors.Add($"{source.Origin}: unknown key '{name}'{hint}; known keys: {string.Join(", ", ConfigCatalogue.Keys.Select(k => k.Name))}");
                    continue;
                }
                key.Parse(raw).Match(
                    Succ: value => config = key.Set(config, value.Value),
                    Fail: error => errors.Add($"{source.Origin}: {error.Message}"));
            }
        }
        var ranges = CheckRanges(config);
        errors.AddRange(ranges);
        return errors.Count == 0 ? Success<string, TrainingConfig>(config) : Fail<string, TrainingConfig>(toSeq(errors));
    }

    /// <summary>Cross-key and range rules, each message naming its key.</summary>
    public static IReadOnlyList<string> CheckRanges(TrainingConfig c)
    {
        var errors = new List<string>();
        void Positive(string key, int value) { if (value <= 0) errors.Add($"'{key}' must be positive, got {value}"); }
        void Rate(string key, double value) { if (value is < 0 or >= 1) errors.Add($"'{key}' must be in [0, 1), got {value}"); }
        Positive("epochs", c.Epochs);
        Positive("patience", c.Patience);
        Positive("batch-size", c.BatchSize);
        Positive("max-len", c.MaxLen);
        Positive("dim", c.Dim);
        Positive("layers", c.Layers);
        Positive("heads", c.Heads);
        // Adam takes its step size as a float32 scalar: far past any useful rate it fails inside libtorch.
        if (!(c.Lr > 0 && c.Lr <= 10)) errors.Add($"'lr' must be in (0, 10], got {c.Lr}");
        if (c.WarmupSteps < 0) errors.Add($"'warmup-steps' must be 0 or positive, got {c.WarmupSteps}");
        if (c.LrFloor is < 0 or > 1) errors.Add($"'lr-floor' must be in [0, 1], got {c.LrFloor}");
        if (c.Registers < 0) errors.Add($"'registers' must be 0 (none) or positive, got {c.Registers}");
        if (c.Registers > 0 && c.Attention == "global") errors.Add("'registers' applies to attention causal only (the global form sums over its padding slots instead)");
        if (c.LengthBuckets < 0) errors.Add($"'length-buckets' must be 0 (off) or positive, got {c.LengthBuckets}");
        if (c.ClipNorm < 0) errors.Add($"'clip-norm' must be 0 (off) or positive, got {c.ClipNorm}");
        Rate("dropout", c.Dropout);
        Rate("drop-path", c.DropPath);
        if (c.Threads < 0) errors.Add($"'threads' must be 0 (library default) or positive, got {c.Threads}");
        if (c.Heads > 0 && c.Dim % c.Heads != 0) errors.Add($"'heads' ({c.Heads}) must divide 'dim' ({c.Dim}): each head gets dim/heads channels");
        return errors;
    }

    /// <summary>The config as ordered key/value pairs (config.json, checkpoints).</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> ToPairs(TrainingConfig config) =>
        ConfigCatalogue.Keys.Select(k => new KeyValuePair<string, object?>(k.Name, k.Get(config))).ToList();
}
