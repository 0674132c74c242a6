using Grela.Cli.Runs;
using Grela.Data;
using Grela.Models;
using Grela.Runs;
using Grela.Training;
using TorchSharp;

namespace Grela.Tests.Training;

/// <summary>A trainer on a tiny synthetic dataset and <see cref="TinyModel"/>, with checkpoints in a temp folder.</summary>
internal sealed class TinyRun : IDisposable
{
    public const string Data = "synthetic:users=60,items=40,groups=4,min-len=6,max-len=16,seed=5";

    public TinyRun(string folder, int epochs = 3, int patience = 20, double lr = 0.01, long seed = 11, int microBatchRows = 0, double dropout = 0.2,
        Func<TrainerSettings, TrainerSettings>? tune = null, Func<int, IReadOnlyList<Grela.Training.Parallel.IGradientPeer>>? peers = null)
    {
        Config = new TrainingConfig { Data = Data, MaxLen = 12, BatchSize = 16, Epochs = epochs, Patience = patience, Lr = lr, Seed = seed };
        Folder = new RunFolder(folder);
        Directory.CreateDirectory(folder);
        DataSet = RunData.Load(Config);
        torch.manual_seed(seed);
        Model = new TinyModel(DataSet.ItemCount, 8, dropout);
        Trainer = new Trainer(Model, DataSet.TrainBatches(Config, PaddingSide.Right, TrainingStyle.AllPositions),
            DataSet.Evaluator(HeldOut.Valid, torch.CPU), (tune ?? (s => s))(new TrainerSettings(epochs, patience, lr, MicroBatchRows: microBatchRows)), torch.CPU,
            peers?.Invoke(DataSet.ItemCount));
        Store = new CheckpointStore(Folder, Config, Hash, DataSet.Summary, DataSet.ItemTokens, Model, Trainer.Optimizer, Trainer.Average);
    }

    public TrainingConfig Config { get; }
    public RunFolder Folder { get; }
    public IRunData DataSet { get; }
    public TinyModel Model { get; }
    public Trainer Trainer { get; }
    public CheckpointStore Store { get; }
    public string Hash => ModelFingerprint.Of("tiny", Model.Module);

    public TrainingOutcome Run(CancellationToken cancel = default, TrainingProgress? start = null, ITrainingObserver? observer = null) =>
        Trainer.Run(start ?? TrainingProgress.Start, Store, observer ?? SilentObserver.Instance, cancel);

    /// <summary>Restores model, optimizer, RNG (and the weight average) from this folder's `last` and returns its progress.</summary>
    public TrainingProgress RestoreLast()
    {
        var checkpoint = CheckpointFile.Read(Folder.Last);
        checkpoint.LoadModel(Model.Module, Hash, Folder.Last);
        checkpoint.LoadOptimizer(Trainer.Optimizer);
        checkpoint.LoadRng();
        if (Trainer.Average is { } average)
            checkpoint.LoadAverage(Model.Module, average, Folder.Last);
        return checkpoint.Header.Progress;
    }

    /// <summary>The weight average's parameters, flattened (the trainer must keep one).</summary>
    public float[] AverageParameters()
    {
        using var swapped = Trainer.Average!.SwappedIn();
        return Parameters();
    }

    /// <summary>Every parameter, flattened, for exact comparisons.</summary>
    public float[] Parameters() => [.. Model.Module.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];

    public void Dispose()
    {
        Trainer.Dispose();
        Model.Dispose();
    }
}
