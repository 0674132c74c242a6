using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// The metadata part of a checkpoint: the resolved config, the model fingerprint, the dataset it was
/// trained on, the item vocabulary (original ids, index = internal id; empty when ids are integers)
/// and the training progress (epoch, step, data-order position, best metric, history).
/// </summary>
public sealed record CheckpointHeader(
    TrainingConfig Config,
    string ModelHash,
    DatasetInfo Dataset,
    ImmutableArray<string> ItemTokens,
    TrainingProgress Progress)
{
    public const string FormatName = "grela-checkpoint";
    public const int FormatVersion = 1;

    public JsonObject ToJson() => new()
    {
        ["format"] = FormatName,
        ["version"] = FormatVersion,
        ["config"] = ConfigJson.ToJson(Config),
        ["model_hash"] = ModelHash,
        ["dataset"] = Dataset.ToJson(),
        ["epoch"] = Progress.Epoch,
        ["batch_in_epoch"] = Progress.BatchInEpoch,
        ["step"] = Progress.Step,
        ["epoch_loss_sum"] = Num(Progress.EpochLossSum),
        ["epoch_loss_count"] = Progress.EpochLossCount,
        ["best_metric"] = Num(Progress.BestMetric),
        ["best_epoch"] = Progress.BestEpoch,
        ["epochs_without_improvement"] = Progress.EpochsWithoutImprovement,
        ["history"] = new JsonArray(Progress.History.Select(HistoryJson.ToJson).ToArray<JsonNode?>()),
        ["item_tokens"] = new JsonArray(ItemTokens.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    };

    /// <summary>Parses a header; any missing or mistyped field is reported with its name.</summary>
    public static CheckpointHeader FromJson(string origin, JsonElement root)
    {
        string Str(JsonElement e, string name) => Field(e, name, JsonValueKind.String).GetString()!;
        var format = Str(root, "format");
        if (format != FormatName)
            throw new CheckpointException($"{origin}: not a Grela checkpoint (format \"{format}\")");
        var version = Field(root, "version", JsonValueKind.Number).GetInt32();
        if (version != FormatVersion)
            throw new CheckpointException($"{origin}: checkpoint format version {version}; this grela reads version {FormatVersion}");
        var config = ConfigJson.FromJson($"{origin} (config)", Field(root, "config", JsonValueKind.Object));
        var ds = Field(root, "dataset", JsonValueKind.Object);
        var dataset = new DatasetInfo(Str(ds, "name"), Count(ds, "users"), Count(ds, "items"), Count64(ds, "interactions"))
        {
            ContentHash = ds.TryGetProperty("content_hash", out var contentHash) && contentHash.ValueKind == JsonValueKind.String ? contentHash.GetString()! : "",
        };
        var progress = new TrainingProgress(
            Count(root, "epoch"),
            Count(root, "batch_in_epoch"),
            Count64(root, "step"),
            NumOr(root, "epoch_loss_sum", 0),
            Count(root, "epoch_loss_count"),
            NumOr(root, "best_metric", double.NegativeInfinity),
            Int(root, "best_epoch", min: -1),
            Count(root, "epochs_without_improvement"),
            Field(root, "history", JsonValueKind.Array).EnumerateArray().Select(HistoryJson.FromJson).ToImmutableList());
        var tokens = Field(root, "item_tokens", JsonValueKind.Array).EnumerateArray().Select(t => t.GetString() ?? "").ToImmutableArray();
        var modelHash = Str(root, "model_hash");
        if (!ModelFingerprint.IsWellFormed(modelHash))
            throw new CheckpointException($"{origin}: checkpoint header field \"model_hash\": expected 64 hex digits, got \"{(modelHash.Length > 80 ? modelHash[..80] + "…" : modelHash)}\"");
        if (tokens.Length != 0 && tokens.Length != dataset.Items + 1)
            throw new CheckpointException($"{origin}: checkpoint header: {tokens.Length} item tokens for {dataset.Items} items");
        return new CheckpointHeader(config, modelHash, dataset, tokens, progress);
    }

    internal static JsonElement Field(JsonElement e, string name, JsonValueKind kind)
    {
        if (!e.TryGetProperty(name, out var value))
            throw new CheckpointException($"checkpoint header lacks \"{name}\"");
        if (value.ValueKind != kind)
            throw new CheckpointException($"checkpoint header field \"{name}\": expected a {kind.ToString().ToLowerInvariant()}, got {value.ValueKind.ToString().ToLowerInvariant()}");
        return value;
    }

    /// <summary>An integer field in [<paramref name="min"/>, int.MaxValue]; a fraction, a huge or a too small number is an error naming the field.</summary>
    private static int Int(JsonElement e, string name, int min = int.MinValue)
    {
        var value = Field(e, name, JsonValueKind.Number);
        if (!value.TryGetInt32(out var v) || v < min)
            throw new CheckpointException($"checkpoint header field \"{name}\": expected an integer of at least {min}, got {value.GetRawText()}");
        return v;
    }

    private static int Count(JsonElement e, string name) => Int(e, name, min: 0);

    private static long Count64(JsonElement e, string name)
    {
        var value = Field(e, name, JsonValueKind.Number);
        if (!value.TryGetInt64(out var v) || v < 0)
            throw new CheckpointException($"checkpoint header field \"{name}\": expected a non-negative integer, got {value.GetRawText()}");
        return v;
    }

    /// <summary>Non-finite numbers are stored as null (JSON has no -inf or NaN).</summary>
    internal static JsonNode? Num(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    internal static double NumOr(JsonElement e, string name, double fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
}

/// <summary>An <see cref="EpochRecord"/> as JSON (inside checkpoints).</summary>
internal static class HistoryJson
{
    public static JsonNode ToJson(EpochRecord r)
    {
        var valid = new JsonObject();
        foreach (var (k, v) in r.Valid)
            valid[k] = CheckpointHeader.Num(v);
        return new JsonObject
        {
            ["epoch"] = r.Epoch,
            ["loss"] = CheckpointHeader.Num(r.Loss),
            ["valid"] = valid,
            ["seconds"] = CheckpointHeader.Num(r.Seconds),
            ["samples_per_s"] = CheckpointHeader.Num(r.SamplesPerSecond),
            ["steps"] = r.Steps,
            ["lr"] = CheckpointHeader.Num(r.Lr),
        };
    }

    public static EpochRecord FromJson(JsonElement e)
    {
        var valid = CheckpointHeader.Field(e, "valid", JsonValueKind.Object).EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN);
        return new EpochRecord(
            CheckpointHeader.Field(e, "epoch", JsonValueKind.Number).GetInt32(),
            CheckpointHeader.NumOr(e, "loss", double.NaN),
            valid,
            CheckpointHeader.NumOr(e, "seconds", 0),
            CheckpointHeader.NumOr(e, "samples_per_s", 0))
        {
            // Absent in checkpoints written before these columns existed.
            Steps = (long)CheckpointHeader.NumOr(e, "steps", 0),
            Lr = CheckpointHeader.NumOr(e, "lr", double.NaN),
        };
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
