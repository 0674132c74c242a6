using System.Text.Json;
using System.Text.Json.Nodes;
using Grela.Errors;

namespace Grela.Runs;

/// <summary>Resolved configs as JSON (config.json, checkpoint headers) and JSON objects as config sources.</summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToJson(TrainingConfig config)
    {
        var json = new JsonObject();
        foreach (var (key, value) in ConfigResolution.ToPairs(config))
            json[key] = value switch
            {
                null => null,
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                _ => throw new InvalidOperationException($"config key {key} has an unsupported type {value.GetType().Name}"),
            };
        return json;
    }

    public static string ToText(TrainingConfig config) => ToJson(config).ToJsonString(Indented);

    /// <summary>The members of a JSON object as raw config values (keeping number/text kinds).</summary>
    public static ConfigSource ToSource(string origin, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{origin}: expected a JSON object of key/value pairs, got a JSON {element.ValueKind.ToString().ToLowerInvariant()}");
        var values = element.EnumerateObject()
            .Select(p => new KeyValuePair<string, RawValue>(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => RawValue.Of(p.Value.GetString()!),
                JsonValueKind.Number => new RawValue(p.Value.GetRawText(), RawKind.Number),
                JsonValueKind.True or JsonValueKind.False => new RawValue(p.Value.GetRawText(), RawKind.Boolean),
                JsonValueKind.Null => new RawValue("null", RawKind.Null),
                var kind => new RawValue($"a JSON {kind.ToString().ToLowerInvariant()}", RawKind.Structure),
            }))
            .ToList();
        return new ConfigSource(origin, values);
    }

    /// <summary>
    /// What a saved config that lacks a key meant: the behaviour the code had before the key existed
    /// (runs written before `windows` trained on the newest window only).
    /// </summary>
    private static readonly TrainingConfig SavedBefore = new() { Windows = "last" };

    /// <summary>Reads a resolved config back (from config.json or a checkpoint header).</summary>
    public static TrainingConfig FromJson(string origin, JsonElement element) =>
        ConfigResolution.Resolve(SavedBefore, ToSource(origin, element)).Match(
            Succ: c => c,
            Fail: errors => throw new UserInputException(string.Join(Environment.NewLine, errors)));
}
