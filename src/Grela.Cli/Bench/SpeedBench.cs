using System.Globalization;
using System.Text.Json;
using Grela.Runs;

namespace Grela.Cli.Bench;

/// <summary>
/// `grela bench speed`: every (model, length) case in a child process of its own (so that its
/// peak RSS is its own and a case that runs out of memory or time is recorded, not fatal), then
/// CSV, JSON and log-log plots.
/// </summary>
public static class SpeedBench
{
    public sealed record Plan(
        IReadOnlyList<string> Models, IReadOnlyList<int> Lengths, string Attention, int BatchSize, int? Dim, int Items,
        string Device, int Warmup, int Repeats, double MemoryBudgetMb, TimeSpan CaseTimeout, int Seed);

    public static IReadOnlyList<SpeedCase> Run(Plan plan, Action<SpeedCase> onCase)
    {
        var results = new List<SpeedCase>();
        foreach (var model in plan.Models)
        {
            SpeedCase? stopped = null;
            foreach (var length in plan.Lengths.Order())
            {
                var result = stopped is { } s
                    ? Skipped(plan, model, length, $"not run: {Describe(s.Status)} at L={s.Length}") with { Status = CaseStatus.Skipped }
                    : RunCase(plan, model, length);
                if (stopped is null && result.Status is CaseStatus.OutOfMemory or CaseStatus.Timeout) stopped = result;
                results.Add(result);
                onCase(result);
            }
        }
        return results;
    }

    static SpeedCase RunCase(Plan plan, string model, int length)
    {
        var args = new List<string>
        {
            "bench", "speed-case", "--model", model, "--attention", plan.Attention, "--length", I(length),
            "--batch-size", I(plan.BatchSize), "--dim", I(plan.Dim ?? BenchModels.DefaultDim(model, plan.Attention)), "--items", I(plan.Items), "--device", plan.Device,
            "--warmup", I(plan.Warmup), "--repeats", I(plan.Repeats),
            "--memory-budget-mb", plan.MemoryBudgetMb.ToString(CultureInfo.InvariantCulture), "--seed", I(plan.Seed),
        };
        var outcome = ChildProcess.RunSelf(args, plan.CaseTimeout);
        if (outcome.TimedOut)
            return Skipped(plan, model, length, $"timeout after {plan.CaseTimeout.TotalSeconds:F0} s") with { Status = CaseStatus.Timeout };
        if (outcome.ExitCode == MemoryWatchdog.ExitCode)
            return Skipped(plan, model, length, $"exceeded the memory budget of {plan.MemoryBudgetMb:F0} MB") with { Status = CaseStatus.OutOfMemory };
        var json = outcome.Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        if (outcome.ExitCode == 0 && json is not null)
            return JsonSerializer.Deserialize<SpeedCase>(json, BenchFiles.Json)!;
        var why = outcome.Stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {outcome.ExitCode}";
        return Skipped(plan, model, length, why) with { Status = CaseStatus.Failed };
    }

    static SpeedCase Skipped(Plan plan, string model, int length, string note) => new(
        model, plan.Attention, length, plan.BatchSize, plan.Dim ?? BenchModels.DefaultDim(model, plan.Attention), plan.Items, plan.Device, CaseStatus.Failed,
        null, null, null, null, note);

    static string Describe(CaseStatus status) => status switch
    {
        CaseStatus.OutOfMemory => "out of memory",
        CaseStatus.Timeout => "out of time",
        _ => status.ToString(),
    };

    /// <summary>Writes speed.csv, speed.json, speed.md, speed-time.png and speed-memory.png into dir.</summary>
    public static void WriteOutputs(string dir, IReadOnlyList<SpeedCase> cases)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "speed.csv"), BenchFiles.SpeedCsv(cases));
        AtomicFile.WriteAllText(Path.Combine(dir, "speed.json"), JsonSerializer.Serialize(cases, BenchFiles.Json));
        AtomicFile.WriteAllText(Path.Combine(dir, "speed.md"), BenchFiles.SpeedMarkdown(cases));
        var byModel = cases.Where(c => c.Status == CaseStatus.Ok).GroupBy(c => $"{c.Model} ({c.Attention})").ToList();
        BenchPlots.SaveLogLog(Path.Combine(dir, "speed-time.png"), "Training step time vs sequence length", "seconds per step",
            byModel.Select(g => (g.Key, (IReadOnlyList<(double, double)>)g.Select(c => ((double)c.Length, c.TrainStepSeconds!.Value)).ToList())));
        BenchPlots.SaveLogLog(Path.Combine(dir, "speed-memory.png"), "Peak memory vs sequence length", "peak RSS, MB",
            byModel.Select(g => (g.Key, (IReadOnlyList<(double, double)>)g.Select(c => ((double)c.Length, c.PeakMemoryMb ?? double.NaN)).Where(p => !double.IsNaN(p.Item2)).ToList())));
    }

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
