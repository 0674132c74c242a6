using System.Diagnostics;
using Grela.Cli.Parallel;
using Grela.Cli.Shell;
using Grela.Errors;
using Grela.Host;
using Grela.Models;
using Grela.Runs;
using Grela.Training;
using TorchSharp;

namespace Grela.Cli.Runs;

/// <summary>What `grela train` was asked to do, before anything is resolved.</summary>
internal sealed record TrainRequest(ConfigSource CommandLine, string? ConfigFile, string? Out, string? Resume, bool IgnoreMemoryEstimate = false);

/// <summary>
/// `grela train`: resolve the config, prepare data, model and run folder, run the trainer, then
/// evaluate the best checkpoint beside the popularity baseline and write metrics.json.
/// </summary>
internal static class TrainRun
{
    public static int Execute(TrainRequest request, CliOutput output)
    {
        var fileSource = request.ConfigFile is null ? null : ConfigFileReader.Read(request.ConfigFile);
        CheckpointFile? resumeFrom = null;
        RunFolder folder;
        TrainingConfig config;
        if (request.Resume is not null)
        {
            folder = new RunFolder(request.Resume);
            if (!Directory.Exists(folder.Root))
                throw new UserInputException($"--resume {folder.Root}: no such run folder");
            if (request.Out is not null && Path.GetFullPath(request.Out) != Path.GetFullPath(folder.Root))
                throw new UserInputException("--resume continues the run in its own folder; drop --out (or give the same folder)");
            if (!File.Exists(folder.Last))
                throw new UserInputException($"--resume {folder.Root}: no last.ckpt in the folder (is it a grela training run folder?)");
            resumeFrom = CheckpointFile.Read(folder.Last);
            resumeFrom.RequirePlausibleSize(folder.Last);
            RunConsistency.Check(folder, resumeFrom.Header);
            config = ResumedConfig(resumeFrom.Header.Config, folder, [.. new[] { fileSource, request.CommandLine }.OfType<ConfigSource>()]);
        }
        else
        {
            config = RunDefaults.Resolve([.. new[] { fileSource, request.CommandLine }.OfType<ConfigSource>()]);
            folder = NewRunFolder.Check(request.Out is not null ? new RunFolder(request.Out) : RunFolder.Fresh(config.Model, config.DatasetName, DateTime.UtcNow));
        }

        var factory = ModelRegistry.Get(config.Model);
        var device = DeviceSelection.Select(config.Device);
        var threads = DeviceSelection.ApplyThreads(config.Threads);
        var data = RunDataLoader.Load(config, output);
        if (resumeFrom is not null && resumeFrom.Header.Dataset.Differences(resumeFrom.Header.ItemTokens, data.Summary, data.ItemTokens) is { Count: > 0 } changes)
            throw new CheckpointException($"--resume {folder.Root}: the run was trained on {resumeFrom.Header.Dataset}, but the data changed: {string.Join("; ", changes)}");

        var style = factory.StyleFor(config);
        // Target-sized batches hold a varying number of windows: passes are bounded by memory alone.
        var microBatch = MicroBatching.Rows(config.MicroBatch, config.BatchTargets > 0 ? int.MaxValue : config.BatchSize, config.MaxLen, style, data.ItemCount);
        // Before the run folder and the model exist: a run that cannot fit leaves nothing behind.
        CheckMemory(MemoryEstimate.For(config, data.ItemCount, microBatch, style, factory.SoftmaxAttention), MemoryEstimate.Available(), request.IgnoreMemoryEstimate, output);

        if (resumeFrom is null)
        {
            folder.CreateNew();
            // The resolved configuration is on disk before any training happens.
            AtomicFile.WriteAllText(folder.Config, ConfigJson.ToText(config) + "\n");
        }
        using var log = new RunLog(folder.Log);
        var observer = new ConsoleTrainingObserver(output, log);
        observer.Message($"run folder: {folder.Root}");
        log.Write($"config: {ConfigJson.ToJson(config).ToJsonString()}");
        observer.Message($"{device.Note}; {threads} CPU threads");
        observer.Message($"dataset: {data.Summary}");

        if (MicroBatching.IsBounded(microBatch, config.MaxLen))
            NativeAllocator.KeepFreedMemory();
        torch.manual_seed(config.Seed);
        using var model = factory.Create(config, data.ItemCount, device.Device);
        var modelHash = ModelFingerprint.Of(ModelFingerprint.Hyperparameters(config, data.ItemCount), model.Module);
        // Length buckets exist to cut trailing padding; prefix samples of a model that reads it keep a plain shuffle.
        var batches = data.TrainBatches(style == TrainingStyle.Prefix && !model.IgnoresTrailingPadding ? config with { LengthBuckets = 0 } : config,
            model.Padding, style);
        IRankingEvaluator validation = data.Evaluator(HeldOut.Valid, device.Device);
        using var workers = GradientWorkers.Start(config, data.ItemCount, device.Device, threads,
            MicroBatching.IsBounded(microBatch, config.MaxLen), observer);
        if (workers.Peers.Count > 0)
            validation = new ThreadsDuring(validation, threads);
        if (microBatch < config.BatchSize && config.BatchTargets == 0)
            observer.Message($"micro-batches of {microBatch} rows (gradients summed over each batch of {config.BatchSize})");
        var schedule = new LrSchedule(config.Lr, config.LrDecay, config.WarmupSteps,
            LrSchedule.PlannedSteps(config.Epochs, batches.BatchesPerEpoch, config.MaxSteps), config.LrFloor);
        using var trainer = new Trainer(model, batches, validation,
            new TrainerSettings(config.Epochs, config.Patience, config.Lr, MicroBatchRows: microBatch, Schedule: schedule, ClipNorm: config.ClipNorm,
                WeightDecay: config.WeightDecay, EmaDecay: config.EmaDecay, ItemDropout: config.ItemDropout,
                MaxSteps: config.MaxSteps), device.Device, workers.Peers);
        var progress = TrainingProgress.Start;
        if (resumeFrom is not null)
        {
            resumeFrom.LoadModel(model.Module, modelHash, folder.Last);
            resumeFrom.LoadOptimizer(trainer.Optimizer);
            resumeFrom.LoadRng();
            if (trainer.Average is { } average)
                resumeFrom.LoadAverage(model.Module, average, folder.Last);
            progress = resumeFrom.Header.Progress;
            observer.Message($"resuming at epoch {progress.Epoch + 1}, batch {progress.BatchInEpoch} (step {progress.Step})");
        }
        observer.Message($"model: {config.Model} ({style}, {model.Padding.ToString().ToLowerInvariant()} padding), {Parameters(model)} parameters, " +
                         $"{batches.BatchesPerEpoch} batches of {BatchShape(config)} per epoch, {batches.TargetsPerEpoch:N0} training targets per epoch" +
                         (config.WindowStride > 0 && config.WindowStride < config.MaxLen && style == TrainingStyle.AllPositions
                             ? $" (windows every {config.WindowStride} targets, each target with at least {config.MaxLen - config.WindowStride} items of context where the history has them)" : ""));
        if (config.MaxSteps > 0)
        {
            var lastEpoch = (config.MaxSteps + batches.BatchesPerEpoch - 1) / Math.Max(1, batches.BatchesPerEpoch);
            observer.Message($"max-steps {config.MaxSteps:N0}: training ends after optimizer step {config.MaxSteps:N0}, in epoch {lastEpoch} at the latest");
        }
        if (trainer.Average is not null)
            observer.Message($"weight average: ema-decay {config.EmaDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)}; validation, `best` and the final evaluation use the averaged weights");
        var store = new CheckpointStore(folder, config, modelHash, data.Summary, data.ItemTokens, model, trainer.Optimizer, trainer.Average);
        var sink = new RunFolderSink(store, folder, config.KeepEpochs);
        if (output.Context.OnStep is { } hook)
            trainer.StepDone += hook;

        TrainingOutcome outcome;
        using (output.Context.Interrupts.Open())
            outcome = observer.Run(() => trainer.Run(progress, sink, observer, output.Context.Cancel));
        workers.Dispose();
        switch (outcome.Reason)
        {
            case StopReason.Interrupted:
                log.Write(outcome.Message);
                output.Warn($"{outcome.Message}; continue with: grela train --resume {folder.Root}");
                return ExitCodes.Interrupted;
            case StopReason.Diverged:
                log.Write(outcome.Message);
                CommandRunner.WriteError(output.Context.Err, outcome.Message);
                return ExitCodes.RuntimeFailure;
            case StopReason.Failed:
                log.Write(outcome.Message);
                CommandRunner.WriteError(output.Context.Err, $"{outcome.Message}; continue with: grela train --resume {folder.Root}");
                return ExitCodes.RuntimeFailure;
        }
        observer.Message(outcome.Message);

        var report = Report(config, folder, model, modelHash, data, outcome.Progress, device);
        report.Write(folder.Metrics);
        observer.Message($"metrics written to {folder.Metrics}");
        MetricsTable.Show(output, report);
        output.Machine(report.ToJson());
        return ExitCodes.Success;
    }

    /// <summary>Evaluates the best checkpoint on validation and test, beside popularity on test.</summary>
    private static MetricsReport Report(TrainingConfig config, RunFolder folder, ISequentialModel model, string modelHash, IRunData data, TrainingProgress progress, DeviceChoice device)
    {
        if (!File.Exists(folder.Best))
            throw new InvalidOperationException("training ended without a best checkpoint (did validation ever produce a finite NDCG@10?)");
        // The weights validation chose: the average when training kept one.
        CheckpointFile.Read(folder.Best).LoadWeights(model.Module, modelHash, folder.Best, CheckpointWeights.Average);
        var valid = data.Evaluator(HeldOut.Valid, device.Device).Evaluate(model);
        var test = data.Evaluator(HeldOut.Test, device.Device).Evaluate(model);
        var seconds = progress.History.Sum(r => r.Seconds);
        return new MetricsReport(config.Model, data.Summary, progress.History.Count, progress.BestEpoch,
            progress.History.Count == 0 ? 0 : seconds / progress.History.Count, seconds, valid, test, data.PopularityTest());
    }

    /// <summary>Refuses a run whose estimated peak exceeds 80% of the available memory, unless overridden.</summary>
    internal static void CheckMemory(MemoryEstimate estimate, long available, bool ignore, CliOutput output)
    {
        if (estimate.Total <= 0.8m * available)
            return;
        var message = $"training needs about {estimate}, more than the {MemoryEstimate.Gb(available)} of memory available";
        if (ignore)
        {
            output.Warn($"{message}; going on (--ignore-memory-estimate)");
            return;
        }
        throw new UserInputException($"{message}; lower --max-len, --batch-size or --micro-batch (or --dim), or pass --ignore-memory-estimate to train anyway");
    }

    private static TrainingConfig ResumedConfig(TrainingConfig saved, RunFolder folder, ConfigSource[] sources)
    {
        var requested = ConfigResolution.Resolve(saved, sources).Match(c => c, errors => throw new UserInputException(string.Join(Environment.NewLine, errors)));
        var changes = RunConsistency.ConfigChanges(saved, requested);
        if (changes.Count > 0)
            throw new UserInputException(
                $"--resume {folder.Root}: a resumed run must keep its model and data (only {string.Join(", ", RunConsistency.ResumableKeys)} may change); " +
                $"this command changes {string.Join(", ", changes)}");
        return requested;
    }

    private static long Parameters(ISequentialModel model) => model.Module.parameters().Sum(p => p.numel());

    private static string BatchShape(TrainingConfig config) =>
        config.BatchTargets > 0 ? $"about {config.BatchTargets:N0} targets" : config.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Saves checkpoints (and each epoch's, with `keep-epochs`) and refreshes history.csv and curve.png whenever `last` is written.</summary>
    private sealed class RunFolderSink(CheckpointStore store, RunFolder folder, bool keepEpochs) : ICheckpointSink
    {
        public void Save(CheckpointKind kind, TrainingProgress progress)
        {
            // `last` written mid-epoch (an interrupt) is not an epoch's end: only closed epochs are kept.
            var closedEpoch = kind == CheckpointKind.Last && progress.BatchInEpoch == 0 && progress.History.Count > 0;
            store.Save(kind, progress, keepEpochs && closedEpoch);
            if (kind != CheckpointKind.Last)
                return;
            HistoryCsv.Write(folder.History, progress.History);
            CurvePlot.Write(folder.Curve, progress.History);
        }
    }
}
