using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grela.Cli.Bench;

/// <summary>Benchmark results as CSV, JSON and markdown text (written with <see cref="Grela.Runs.AtomicFile"/>).</summary>
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
        var sb = new StringBuilder("history,update_ms,recompute_ms,speedup,repeats,managed_update_ms\n");
        foreach (var c in cases)
            sb.AppendLine(string.Join(',', I(c.History), D(c.UpdateMilliseconds), D(c.RecomputeMilliseconds), D(c.Speedup), I(c.Repeats), D(c.ManagedUpdateMilliseconds)));
        return sb.ToString();
    }

    public static string StreamBatchedCsv(IEnumerable<StreamBatchCase> cases)
    {
        var sb = new StringBuilder("users,torch_ms_per_event,managed_ms_per_event,repeats\n");
        foreach (var c in cases)
            sb.AppendLine(string.Join(',', I(c.Users), D(c.TorchMillisecondsPerEvent), D(c.ManagedMillisecondsPerEvent), I(c.Repeats)));
        return sb.ToString();
    }

    /// <summary>A markdown table of the speed cases (spliced into docs/benchmarks.md by scripts/refresh-benchmarks.sh).</summary>
    public static string SpeedMarkdown(IEnumerable<SpeedCase> cases)
    {
        var sb = new StringBuilder("| model | attention | L | batch | train step (s) | inference (s) | sequences/s | peak RSS (MB) | status |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var c in cases)
            sb.AppendLine($"| {c.Model} | {c.Attention} | {I(c.Length)} | {I(c.BatchSize)} | {F(c.TrainStepSeconds, "F3")} | {F(c.InferSeconds, "F3")} | {F(c.SamplesPerSecond, "F1")} | {F(c.PeakMemoryMb, "F0")} | {(c.Status == CaseStatus.Ok ? "ok" : $"{JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Status.ToString())}: {c.Note}")} |");
        return sb.ToString();
    }

    /// <summary>A markdown table of the streaming cases.</summary>
    public static string StreamMarkdown(IEnumerable<StreamCase> cases)
    {
        var sb = new StringBuilder("| history | update + scores (ms) | recompute (ms) | speed-up | managed update + scores (ms) |\n|---:|---:|---:|---:|---:|\n");
        foreach (var c in cases)
            sb.AppendLine($"| {c.History.ToString("N0", CultureInfo.InvariantCulture)} | {c.UpdateMilliseconds.ToString("F3", CultureInfo.InvariantCulture)} | {c.RecomputeMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} | {c.Speedup.ToString("F0", CultureInfo.InvariantCulture)}x | {F(c.ManagedUpdateMilliseconds, "F3")} |");
        return sb.ToString();
    }

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    static string D(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
    static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
    static string Quote(string? s) => s is null ? "" : "\"" + s.Replace("\"", "\"\"") + "\"";
}
