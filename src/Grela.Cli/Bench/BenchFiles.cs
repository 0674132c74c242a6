using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grela.Cli.Bench;

/// <summary>Writes benchmark results as CSV and JSON, atomically.</summary>
public static class BenchFiles
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The same options on one line (a child process's result).</summary>
    public static readonly JsonSerializerOptions CompactJson = new(Json) { WriteIndented = false };

    public static string SpeedCsv(IEnumerable<SpeedCase> cases)
    {
        var sb = new StringBuilder("model,attention,length,batch_size,dim,items,device,status,train_step_s,infer_s,samples_per_s,peak_memory_mb,note\n");
        foreach (var c in cases)
            sb.AppendLine(string.Join(',', c.Model, c.Attention, I(c.Length), I(c.BatchSize), I(c.Dim), I(c.Items), c.Device,
                JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Status.ToString()), D(c.TrainStepSeconds), D(c.InferSeconds),
                D(c.SamplesPerSecond), D(c.PeakMemoryMb), Quote(c.Note)));
        return sb.ToString();
    }

    public static string StreamCsv(IEnumerable<StreamCase> cases)
    {
        var sb = new StringBuilder("history,update_ms,recompute_ms,speedup,repeats\n");
        foreach (var c in cases)
            sb.AppendLine(string.Join(',', I(c.History), D(c.UpdateMilliseconds), D(c.RecomputeMilliseconds), D(c.Speedup), I(c.Repeats)));
        return sb.ToString();
    }

    public static void WriteAtomically(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    static string D(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
    static string Quote(string? s) => s is null ? "" : "\"" + s.Replace("\"", "\"\"") + "\"";
}
