using System.Diagnostics;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Bench;

/// <summary>What one speed case asks the model registry for.</summary>
public sealed record BenchModelRequest(string Model, string Attention, int Items, int? Dim, int Length, Device Device);

/// <summary>
/// Runs one (model, length) case inside the current process: a seeded random batch of full
/// windows, warm-up steps, then the median of timed training steps (forward, backward, Adam) and of
/// inference forwards. Meant to run in a child process of its own so that its peak RSS is its own.
/// </summary>
public static class SpeedCaseRunner
{
    public sealed record Settings(int BatchSize, int Warmup, int Repeats, double MemoryBudgetMb, int Seed);

    /// <summary>Times the case on the model <paramref name="build"/> gives, trained in the style it names (train's, from the registry).</summary>
    public static SpeedCase Run(BenchModelRequest request, Settings settings, Func<BenchModelRequest, (ISequentialModel Model, TrainingStyle Style)> build)
    {
        SpeedCase Result(CaseStatus status, double? train, double? infer, string? note) => new(
            request.Model, request.Attention, request.Length, settings.BatchSize, request.Dim ?? BenchModels.DefaultDim(request.Model, request.Attention), request.Items,
            request.Device.type.ToString().ToLowerInvariant(), status, train, infer,
            train is { } t ? settings.BatchSize / t : null, PeakMemoryMb(request.Device), note);

        using var watchdog = MemoryWatchdog.Start(settings.MemoryBudgetMb);
        // The allocator setting `grela train` uses for passes of this size, so steps are timed as they run there.
        if (Training.MicroBatching.IsBounded(settings.BatchSize, request.Length))
            Host.NativeAllocator.KeepFreedMemory();
        try
        {
            torch.manual_seed(settings.Seed);
            var (model, style) = build(request);
            using var _ = model;
            using var items = torch.randint(1, request.Items, [settings.BatchSize, request.Length], dtype: ScalarType.Int64, device: request.Device);
            using var lengths = torch.full([settings.BatchSize], request.Length, dtype: ScalarType.Int64, device: request.Device);
            using var targets = style == TrainingStyle.Prefix
                ? torch.randint(1, request.Items, [settings.BatchSize], dtype: ScalarType.Int64, device: request.Device)
                : torch.randint(1, request.Items, [settings.BatchSize, request.Length], dtype: ScalarType.Int64, device: request.Device);
            using var optimizer = torch.optim.Adam(model.Module.parameters(), lr: 1e-3);

            var trainTimes = new List<double>();
            model.Module.train();
            for (int i = 0; i < settings.Warmup + settings.Repeats; i++)
            {
                var seconds = Time(request.Device, () =>
                {
                    using var scope = torch.NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = model.Loss(items, lengths, targets, style);
                    loss.backward();
                    optimizer.step();
                });
                if (i >= settings.Warmup) trainTimes.Add(seconds);
            }

            var inferTimes = new List<double>();
            model.Module.eval();
            using (torch.no_grad())
            {
                for (int i = 0; i < settings.Warmup + settings.Repeats; i++)
                {
                    var seconds = Time(request.Device, () =>
                    {
                        using var scope = torch.NewDisposeScope();
                        model.FullSortScores(items, lengths);
                    });
                    if (i >= settings.Warmup) inferTimes.Add(seconds);
                }
            }
            return Result(CaseStatus.Ok, Statistics.Median(trainTimes), Statistics.Median(inferTimes), null);
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            return Result(CaseStatus.OutOfMemory, null, null, FirstLine(e.Message));
        }
    }

    static double Time(Device device, Action step)
    {
        var watch = Stopwatch.StartNew();
        step();
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        return watch.Elapsed.TotalSeconds;
    }

    static double? PeakMemoryMb(Device device) => ProcessMemory.PeakRssMb();

    static bool IsOutOfMemory(Exception e) =>
        e is OutOfMemoryException
        || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("can't allocate", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("bad_alloc", StringComparison.OrdinalIgnoreCase);

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}

/// <summary>
/// Ends the process with a recognisable exit code when its resident memory passes the budget, so
/// that a case too large for the machine is recorded as out of memory instead of taking the
/// machine down with it.
/// </summary>
public sealed class MemoryWatchdog : IDisposable
{
    public const int ExitCode = 86;
    readonly CancellationTokenSource _stop = new();

    MemoryWatchdog(double budgetMb)
    {
        var thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (ProcessMemory.CurrentRssMb() is { } rss && rss > budgetMb)
                {
                    Console.Error.WriteLine($"memory budget of {budgetMb:F0} MB exceeded ({rss:F0} MB)");
                    Console.Error.Flush();
                    Terminate(ExitCode);
                }
                Thread.Sleep(20);
            }
        }) { IsBackground = true, Name = "grela-memory-watchdog" };
        thread.Start();
    }

    public static MemoryWatchdog Start(double budgetMb) => new(budgetMb);

    // The main thread may be inside libtorch (loading it, mid-kernel): see ImmediateExit.
    static void Terminate(int code) => Shell.ImmediateExit.Now(code);

    public void Dispose() => _stop.Cancel();
}
