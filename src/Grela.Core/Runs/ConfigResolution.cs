using LanguageExt;
using static LanguageExt.Prelude;

namespace Grela.Runs;

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
        var origins = new Dictionary<string, ConfigSource>();
        foreach (var source in sources)
        {
            var seen = new Dictionary<string, string>();
            foreach (var (name, raw) in source.Values)
            {
                var key = ConfigCatalogue.Find(name);
                if (key is null)
                {
                    var hint = ConfigCatalogue.Suggest(name) is { } s ? $" (did you mean '{s}'?)" : "";
                    errors.Add($"{source.Origin}: unknown key '{name}'{hint}; known keys: {string.Join(", ", ConfigCatalogue.Keys.Select(k => k.Name))}");
                    continue;
                }
                // One source sets a key once: a repeated key, or both spellings (batch-size and
                // batch_size), would otherwise let the later one win silently.
                if (seen.TryGetValue(key.Name, out var first))
                {
                    errors.Add($"{source.Origin}: key '{key.Name}' is given twice ({(first == name ? $"'{name}' twice" : $"as '{first}' and as '{name}'")}); give it once");
                    continue;
                }
                seen[key.Name] = name;
                origins[key.Name] = source;
                key.Parse(raw).Match(
                    Succ: value => config = key.Set(config, value.Value),
                    Fail: error => errors.Add($"{source.Origin}: {source.Spell(error.Message, key.Name)}"));
            }
        }
        // A range error names where its value came from (the config file, the command line).
        errors.AddRange(CheckRanges(config).Select(e => OriginOf(e, origins) is var (origin, key) ? $"{origin.Origin}: {origin.Spell(e, key)}" : e));
        return errors.Count == 0 ? Success<string, TrainingConfig>(config) : Fail<string, TrainingConfig>(toSeq(errors));
    }

    /// <summary>Upper bounds of the integer keys: far above any real use, low enough that no size computed from them overflows.</summary>
    public static readonly IReadOnlyDictionary<string, int> Limits = new Dictionary<string, int>
    {
        ["epochs"] = 1_000_000,
        ["patience"] = 1_000_000,
        ["batch-size"] = 10_000_000,
        ["micro-batch"] = 10_000_000,
        ["max-len"] = 1_000_000,
        ["dim"] = 65_536,
        ["layers"] = 1_024,
        ["heads"] = 65_536,
        ["threads"] = 4_096,
        ["workers"] = 64,
        ["warmup-steps"] = 1_000_000_000,
        ["max-steps"] = 1_000_000_000,
        ["length-buckets"] = 1_000_000,
        ["batch-targets"] = 1_000_000_000,
        ["window-stride"] = 1_000_000,
        ["registers"] = 4_096,
        // Each slot adds a [batch, length, 2 dim] sum per block: a few are the point, hundreds only cost memory.
        ["summary-slots"] = 64,
        ["min-user"] = 1_000_000_000,
        ["min-item"] = 1_000_000_000,
    };

    /// <summary>"'key' must be at most N, got V" when an integer key is over its <see cref="Limits"/>, else null.</summary>
    public static string? AboveLimit(string key, long value) =>
        Limits.TryGetValue(key, out var limit) && value > limit ? $"'{key}' must be at most {limit:N0}, got {value:N0}" : null;

    /// <summary>
    /// Cross-key and range rules, each message naming its key; every number is range-checked (NaN and
    /// infinities included). The keys that become model hyperparameters are checked by <see cref="SpecKeys"/>
    /// against the constraints the model record declares.
    /// </summary>
    public static IReadOnlyList<string> CheckRanges(TrainingConfig c)
    {
        var errors = new List<string>();
        void Positive(string key, int value)
        {
            if (value <= 0) errors.Add($"'{key}' must be positive, got {value}");
            else AtMost(key, value);
        }
        void ZeroOrPositive(string key, int value, string zero)
        {
            if (value < 0) errors.Add($"'{key}' must be 0 ({zero}) or positive, got {value}");
            else AtMost(key, value);
        }
        void AtMost(string key, int value)
        {
            if (AboveLimit(key, value) is { } error) errors.Add(error);
        }
        Positive("epochs", c.Epochs);
        Positive("patience", c.Patience);
        Positive("batch-size", c.BatchSize);
        ZeroOrPositive("micro-batch", c.MicroBatch, "automatic");
        // max-len, dim, layers, heads, dropout, drop-path: the constraints their model parameters declare.
        errors.AddRange(SpecKeys.Violations(c));
        // Adam takes its step size as a float32 scalar: far past any useful rate it fails inside libtorch.
        if (!(c.Lr > 0 && c.Lr <= 10)) errors.Add($"'lr' must be in (0, 10], got {Show(c.Lr)}");
        ZeroOrPositive("warmup-steps", c.WarmupSteps, "no warm-up");
        ZeroOrPositive("max-steps", c.MaxSteps, "no limit");
        if (!(c.LrFloor >= 0 && c.LrFloor <= 1)) errors.Add($"'lr-floor' must be in [0, 1], got {Show(c.LrFloor)}");
        ZeroOrPositive("length-buckets", c.LengthBuckets, "off");
        if (Data.Batching.TrainingSampleNames.Parse(c.Samples) == Data.Batching.TrainingSamples.Positions && c.AttentionMode == Models.RecGrela.AttentionMode.Global)
            errors.Add("'samples' positions needs attention causal: global attention reads the whole window at every position, so each prefix is its own sample (use 'samples' prefixes or auto)");
        var prefixes = c.Style == Models.TrainingStyle.Prefix;
        ZeroOrPositive("batch-targets", c.BatchTargets, "off");
        if (c.BatchTargets > 0 && prefixes)
            errors.Add($"'batch-targets' applies to all-position training only ({PrefixReason(c)}, one target each)");
        else if (c.BatchTargets > 0 && c.LengthBuckets == 0)
            errors.Add("'batch-targets' needs 'length-buckets' > 0: windows of similar length are what a batch of about that many targets packs together");
        ZeroOrPositive("window-stride", c.WindowStride, "max-len: windows do not overlap");
        if (c.WindowStride > 0 && prefixes)
            errors.Add($"'window-stride' applies to all-position training only ({PrefixReason(c)}, each with the whole window before its target)");
        else if (c.WindowStride > 0 && c.TrainingWindows == Data.Batching.TrainingWindows.Last)
            errors.Add("'window-stride' needs 'windows' all (with last, only the newest window is trained and there is nothing to overlap)");
        else if (c.WindowStride > c.MaxLen)
            errors.Add($"'window-stride' must be at most 'max-len' ({c.MaxLen:N0}): a longer stride would leave targets out, got {c.WindowStride:N0}");
        if (!(c.ClipNorm >= 0 && double.IsFinite(c.ClipNorm))) errors.Add($"'clip-norm' must be 0 (off) or a positive finite number, got {Show(c.ClipNorm)}");
        // A step scales the decayed weights by 1 - lr x weight-decay: at 1 or more it would zero or flip them.
        if (!(c.WeightDecay >= 0 && double.IsFinite(c.WeightDecay)))
            errors.Add($"'weight-decay' must be 0 (off) or a positive finite number, got {Show(c.WeightDecay)}");
        else if (c.Lr > 0 && c.Lr * c.WeightDecay >= 1)
            errors.Add($"'lr' x 'weight-decay' must be below 1 (each step scales the weights by 1 - lr x weight-decay), got {Show(c.Lr)} x {Show(c.WeightDecay)}");
        if (!(c.EmaDecay >= 0 && c.EmaDecay < 1)) errors.Add($"'ema-decay' must be in [0, 1) (0: off; once warmed up, the average spans about 1 / (1 - X) steps), got {Show(c.EmaDecay)}");
        if (!(c.ItemDropout >= 0 && c.ItemDropout < 1)) errors.Add($"'item-dropout' must be in [0, 1) (0: off), got {Show(c.ItemDropout)}");
        ZeroOrPositive("registers", c.Registers, "none");
        if (c.Registers > 0 && c.AttentionMode == Models.RecGrela.AttentionMode.Global) errors.Add("'registers' applies to attention causal only (the global form sums over its padding slots instead)");
        ZeroOrPositive("summary-slots", c.SummarySlots, "none");
        if (c.SummarySlots > 0 && c.AttentionMode == Models.RecGrela.AttentionMode.Global) errors.Add("'summary-slots' applies to attention causal only (the global form's padding positions already read the whole window)");
        ZeroOrPositive("threads", c.Threads, "library default");
        ZeroOrPositive("workers", c.Workers, "automatic");
        ZeroOrPositive("min-user", c.MinUser, "off");
        ZeroOrPositive("min-item", c.MinItem, "off");
        if (c.MinRating is { } rating && !double.IsFinite(rating)) errors.Add($"'min-rating' must be a finite number, got {Show(rating)}");
        return errors;
    }

    /// <summary>Where the first quoted key of a range message that a source set came from ('heads' ... 'dim').</summary>
    private static (ConfigSource Source, string Key)? OriginOf(string message, Dictionary<string, ConfigSource> origins)
    {
        var parts = message.Split('\'');
        for (var i = 1; i < parts.Length; i += 2)
            if (origins.TryGetValue(parts[i], out var origin))
                return (origin, parts[i]);
        return null;
    }

    private static string PrefixReason(TrainingConfig c) =>
        c.AttentionMode == Models.RecGrela.AttentionMode.Global ? "global mode trains on prefix samples" : "'samples' prefixes trains one sample per prefix";

    private static string Show(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The config as ordered key/value pairs (config.json, checkpoints).</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> ToPairs(TrainingConfig config) =>
        ConfigCatalogue.Keys.Select(k => new KeyValuePair<string, object?>(k.Name, k.Get(config))).ToList();
}
