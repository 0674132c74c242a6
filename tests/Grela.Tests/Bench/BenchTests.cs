using Grela.Cli.Bench;
using Grela.Cli.Runs;
using Grela.Runs;
using Grela.Tests.Cli;
using TorchSharp;

namespace Grela.Tests.Bench;

public class BenchTests
{
    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void Median_is_the_middle_value(double[] values, double expected) =>
        Assert.Equal(expected, Statistics.Median(values));

    [Fact]
    public void A_speed_case_measures_a_real_training_step_and_forward()
    {
        var request = new BenchModelRequest("recgrela", "causal", Items: 20, Dim: 8, Length: 12, torch.CPU);
        var result = SpeedCaseRunner.Run(request, new SpeedCaseRunner.Settings(BatchSize: 2, Warmup: 1, Repeats: 2, MemoryBudgetMb: 64_000, Seed: 1), BenchModels.Build);
        Assert.Equal(CaseStatus.Ok, result.Status);
        Assert.True(result.TrainStepSeconds > 0);
        Assert.True(result.InferSeconds > 0);
        Assert.Equal(2 / result.TrainStepSeconds!.Value, result.SamplesPerSecond!.Value, 6);
        Assert.True(result.PeakMemoryMb > 0);
    }

    [Fact]
    public void Speed_bench_runs_cases_in_child_processes_and_records_a_memory_overrun_instead_of_crashing()
    {
        var dir = Directory.CreateTempSubdirectory("grela-bench-").FullName;
        try
        {
            // 1 MB is below any process's RSS: the first case must be recorded as out of memory and
            // the longer one as not run, and the files must still be written.
            var plan = new SpeedBench.Plan(["recgrela"], [16, 8], "causal", BatchSize: 2, Dim: 8, Items: 20, "cpu",
                Warmup: 0, Repeats: 1, MemoryBudgetMb: 1, TimeSpan.FromSeconds(120), Seed: 1);
            var cases = SpeedBench.Run(plan, _ => { });
            Assert.Equal([8, 16], cases.Select(c => c.Length));
            Assert.Equal(CaseStatus.OutOfMemory, cases[0].Status);
            Assert.Equal(CaseStatus.Skipped, cases[1].Status);
            Assert.Contains("L=8", cases[1].Note);
            SpeedBench.WriteOutputs(dir, cases);
            foreach (var file in new[] { "speed.csv", "speed.json", "speed.md", "speed-time.png", "speed-memory.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), file);
            var csv = File.ReadAllLines(Path.Combine(dir, "speed.csv"));
            Assert.Equal(3, csv.Length);
            Assert.Contains(",out_of_memory,", csv[1]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Speed_bench_child_process_reports_a_measured_case()
    {
        var plan = new SpeedBench.Plan(["recgrela"], [8], "global", BatchSize: 2, Dim: 8, Items: 20, "cpu",
            Warmup: 0, Repeats: 1, MemoryBudgetMb: 64_000, TimeSpan.FromSeconds(120), Seed: 1);
        var single = Assert.Single(SpeedBench.Run(plan, _ => { }));
        Assert.Equal(CaseStatus.Ok, single.Status);
        Assert.Equal("global", single.Attention);
        Assert.True(single.TrainStepSeconds > 0);
    }

    [Fact]
    public void Stream_bench_compares_one_step_with_recomputing()
    {
        var cases = StreamBench.Run([5, 40], dim: 8, items: 20, repeats: 2, seed: 1, _ => { });
        Assert.Equal([5, 40], cases.Select(c => c.History));
        Assert.All(cases, c =>
        {
            Assert.True(c.UpdateMilliseconds > 0);
            Assert.True(c.RecomputeMilliseconds > 0);
            Assert.Equal(c.RecomputeMilliseconds / c.UpdateMilliseconds, c.Speedup, 6);
            Assert.True(c.ManagedUpdateMilliseconds > 0);
        });
    }

    [Fact]
    public void Stream_bench_runs_without_dim_at_causal_recgrelas_training_width()
    {
        var dir = Directory.CreateTempSubdirectory("grela-stream-").FullName;
        try
        {
            var result = CliHarness.Run("bench", "stream", "--histories", "5", "--repeats", "1", "--users", "1", "--items", "20", "--out", dir);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.True(File.Exists(Path.Combine(dir, "stream.csv")));
            // No --dim: causal RecGRELA's training width, not a value of the bench's own.
            Assert.StartsWith($"causal RecGRELA, D {RecGrelaFactory.CausalRecipe(new TrainingConfig()).Dim}, 20 items{Environment.NewLine}history       5: update ", result.Out);
            Assert.Equal("", result.Err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("error: --dim: expected a positive integer, got 0", "stream", "--dim", "0")]
    [InlineData("error: --users: expected positive integers, got 'many'", "stream", "--users", "1,many")]
    [InlineData("error: --lengths: expected positive integers, got '0'", "speed", "--lengths", "50,0")]
    [InlineData("error: --models: expected a comma-separated list, got ','", "speed", "--models", ",")]
    [InlineData("error: --clients: expected positive integers, got '0'", "serve", "--run", "absent", "--clients", "0")]
    public void A_bad_bench_option_is_one_error_line_on_stderr_and_writes_nothing(string error, params string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"grela-bench-{Guid.NewGuid():N}");
        var result = CliHarness.Run(["bench", .. args, "--out", dir]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(error + Environment.NewLine, result.Err);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Stream_bench_gives_the_per_event_cost_of_batched_torch_steps_and_of_the_managed_engine()
    {
        var cases = StreamBench.Batched([1, 3], dim: 8, items: 20, repeats: 2, seed: 1, _ => { });
        Assert.Equal([1, 3], cases.Select(c => c.Users));
        Assert.All(cases, c => Assert.True(c.TorchMillisecondsPerEvent > 0 && c.ManagedMillisecondsPerEvent > 0));
        var csv = BenchFiles.StreamBatchedCsv(cases).TrimEnd().Split('\n');
        Assert.Equal("users,torch_ms_per_event,managed_ms_per_event,repeats", csv[0]);
        Assert.Equal(3, csv.Length);
    }

    [Fact]
    public void Speed_markdown_has_a_row_per_case_and_names_failures()
    {
        var ok = new SpeedCase("recgrela", "causal", 200, 32, 64, 100, "cpu", CaseStatus.Ok, 0.5, 0.1, 64, 900, null);
        var oom = ok with { Length = 16000, Status = CaseStatus.OutOfMemory, TrainStepSeconds = null, InferSeconds = null, SamplesPerSecond = null, PeakMemoryMb = null, Note = "exceeded the memory budget of 16000 MB" };
        var lines = BenchFiles.SpeedMarkdown([ok, oom]).TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("| 0.500 |", lines[2]);
        Assert.Contains("out_of_memory: exceeded the memory budget of 16000 MB", lines[3]);
    }
}
