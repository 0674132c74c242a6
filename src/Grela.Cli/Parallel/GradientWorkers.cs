using Grela.Errors;
using Grela.Runs;
using Grela.Training;
using Grela.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Parallel;

/// <summary>
/// The worker processes of a data-parallel run (`workers` > 1), started before training and ended
/// with it. The run's threads are shared out: each process, this one included, gets
/// threads / workers of them for training.
/// </summary>
internal sealed class GradientWorkers : IDisposable
{
    private readonly List<WorkerProcess> _processes;
    private readonly int _threads;

    private GradientWorkers(List<WorkerProcess> processes, int threads) => (_processes, _threads) = (processes, threads);

    public IReadOnlyList<IGradientPeer> Peers => _processes;

    /// <summary>
    /// Processes for `workers` 0 (automatic): two on a CPU run with at least two threads. Measured on
    /// 2 cores, where one process gets about 45% from its second thread and two processes of one
    /// thread run side by side at nearly full speed (docs/benchmarks.md); more processes than two are
    /// not measured, so automatic never picks them.
    /// </summary>
    public static int Count(int workers, Device device, int threads) =>
        workers > 0 ? workers : device.type == DeviceType.CPU && threads >= 2 ? 2 : 1;

    public static GradientWorkers Start(TrainingConfig config, int itemCount, Device device, int threads, bool keepFreedMemory, ITrainingObserver observer)
    {
        var count = Count(config.Workers, device, threads);
        if (count <= 1)
            return new GradientWorkers([], threads);
        if (device.type != DeviceType.CPU)
            throw new UserInputException($"'workers' {config.Workers}: worker processes split CPU training; on {device.type.ToString().ToLowerInvariant()} set 'workers' to 1 or 0");
        var each = Math.Max(1, threads / count);
        torch.set_num_threads(each);
        var processes = new List<WorkerProcess>();
        try
        {
            for (var i = 1; i < count; i++)
                processes.Add(WorkerProcess.Start(new WorkerHandshake(config, itemCount, each, keepFreedMemory)));
        }
        catch
        {
            foreach (var p in processes) p.Dispose();
            throw;
        }
        observer.Message($"{count} processes share each step ({count - 1} worker process{(count == 2 ? "" : "es")}{(config.Workers == 0 ? ", workers 0: automatic" : "")}), " +
            $"{each} CPU thread{(each == 1 ? "" : "s")} each; validation uses {threads}");
        return new GradientWorkers(processes, threads);
    }

    /// <summary>Ends the workers (once; later calls do nothing) and gives this process all threads back.</summary>
    public void Dispose()
    {
        if (_processes.Count == 0)
            return;
        foreach (var p in _processes) p.Dispose();
        _processes.Clear();
        // The final evaluation runs alone again.
        torch.set_num_threads(_threads);
    }
}
