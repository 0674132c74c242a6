using System.Diagnostics;
using System.Runtime.InteropServices;
using Grela.Errors;
using Grela.Data;
using Grela.Data.Batching;
using Grela.Models;
using Grela.Training.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>
/// Settings of the optimisation loop itself (the rest of the config shapes data and model).
/// MicroBatchRows: rows per forward/backward pass (0: the whole batch at once). Schedule: the learning
/// rate per step (null: <paramref name="Lr"/> throughout). ClipNorm: the largest global gradient
/// L2 norm (0: no clipping). MaxSteps: optimizer steps after which training ends (0: no limit); the
/// epoch that reaches it is validated and checkpointed as if it were complete. WeightDecay: decoupled
/// decay of the weight matrices and embeddings per unit of learning rate (0: off; see <see cref="Grela.Training.WeightDecay"/>).
/// EmaDecay: the decay of an exponential moving average of the weights that validation and the
/// checkpoints' evaluation use (0: off; see <see cref="WeightAverage"/>). ItemDropout: the rate at
/// which a step's input items are replaced by padding (0: off; see <see cref="Training.ItemDropout"/>).
/// </summary>
public sealed record TrainerSettings(int Epochs, int Patience, double Lr, string SelectionMetric = "NDCG@10", int MicroBatchRows = 0,
    LrSchedule? Schedule = null, double ClipNorm = 0, long MaxSteps = 0, double WeightDecay = 0, double EmaDecay = 0, double ItemDropout = 0)
{
    /// <summary>Whether the step budget is spent after <paramref name="steps"/> steps.</summary>
    public bool StepsSpent(long steps) => MaxSteps > 0 && steps >= MaxSteps;

    /// <summary>The schedule in force.</summary>
    public LrSchedule EffectiveSchedule => Schedule ?? LrSchedule.Constant(Lr);
}

/// <summary>
/// The training loop: Adam on cross-entropy, one dispose scope per step, validation after each epoch
/// under no_grad, early stopping on the selection metric, checkpoints through an
/// <see cref="ICheckpointSink"/>, cancellation honoured between steps, and a stop on a non-finite loss.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ISequentialModel _model;
    private readonly ITrainingBatches _batches;
    private readonly IRankingEvaluator _validation;
    private readonly TrainerSettings _settings;
    private readonly Device _device;
    private readonly IReadOnlyList<IGradientPeer> _peers;
    // The parameters weight decay scales (matrices and embeddings), chosen once.
    private readonly IReadOnlyList<Tensor> _decayed;

    // peers: gradient workers that each compute an equal part of every step's rows (data-parallel), or none.
    public Trainer(ISequentialModel model, ITrainingBatches batches, IRankingEvaluator validation, TrainerSettings settings, Device device,
        IReadOnlyList<IGradientPeer>? peers = null)
    {
        _peers = peers ?? [];
        _model = model;
        _batches = batches;
        _validation = validation;
        _settings = settings;
        _device = device;
        Optimizer = torch.optim.Adam(model.Module.parameters(), settings.Lr);
        _decayed = WeightDecay.Decayed(model.Module.parameters());
        Average = settings.EmaDecay > 0 ? new WeightAverage(model.Module, settings.EmaDecay) : null;
    }

    /// <summary>The moving average of the weights (null when `ema-decay` is 0): checkpoints save it, a resume restores it.</summary>
    public WeightAverage? Average { get; }

    /// <summary>The optimizer (its state goes into checkpoints).</summary>
    public TorchSharp.Modules.Adam Optimizer { get; }

    /// <summary>Raised after every completed step (tests use it to interrupt at a chosen point).</summary>
    public event Action<StepReport>? StepDone;

    public TrainingOutcome Run(TrainingProgress start, ICheckpointSink checkpoints, ITrainingObserver observer, CancellationToken cancel)
    {
        var progress = start;
        if (progress.PatienceExhausted(_settings.Patience) || progress.Epoch >= _settings.Epochs || _settings.StepsSpent(progress.Step))
            return Finished(progress);
        while (progress.Epoch < _settings.Epochs)
        {
            var epoch = progress.Epoch;
            var clock = Stopwatch.StartNew();
            long samples = 0;
            // A step budget that ends inside this epoch shortens it: progress shows the batches that will run.
            var batchesThisEpoch = _settings.MaxSteps > 0
                ? (int)Math.Min(_batches.BatchesPerEpoch, progress.BatchInEpoch + Math.Max(0, _settings.MaxSteps - progress.Step))
                : _batches.BatchesPerEpoch;
            observer.EpochStarted(epoch, _settings.Epochs, batchesThisEpoch, progress.BatchInEpoch);
            _model.Module.train();
            foreach (var batch in _batches.Epoch(epoch, progress.BatchInEpoch))
            {
                if (cancel.IsCancellationRequested)
                    return Interrupt(progress, checkpoints);
                StepResult result;
                double loss;
                try
                {
                    (result, loss) = Step(batch, progress.Step, observer, cancel);
                }
                catch (ExternalException e)
                {
                    return Failed(progress, start, NativeErrorText.Summary(e), InStep(progress));
                }
                if (result == StepResult.Abandoned)
                    return Interrupt(progress, checkpoints);
                if (result != StepResult.Applied)
                    return Diverged(progress, start, result, loss);
                samples += SamplesIn(batch);
                progress = progress with
                {
                    BatchInEpoch = progress.BatchInEpoch + 1,
                    Step = progress.Step + 1,
                    EpochLossSum = progress.EpochLossSum + loss,
                    EpochLossCount = progress.EpochLossCount + 1,
                };
                var report = new StepReport(epoch, progress.BatchInEpoch, batchesThisEpoch, progress.Step, loss,
                    progress.EpochLossSum / progress.EpochLossCount, samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
                observer.StepCompleted(report);
                StepDone?.Invoke(report);
                if (_settings.StepsSpent(progress.Step)) break;
            }
            if (cancel.IsCancellationRequested && progress.BatchInEpoch < batchesThisEpoch)
                return Interrupt(progress, checkpoints);

            var trainSeconds = clock.Elapsed.TotalSeconds;
            IReadOnlyDictionary<string, double> valid;
            try
            {
                valid = NativeRetry.Run(Validate, observer, "validation");
            }
            catch (ExternalException e)
            {
                return Failed(progress, start, NativeErrorText.Summary(e), $"the validation after epoch {progress.Epoch + 1}");
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var meanLoss = progress.EpochLossCount == 0 ? double.NaN : progress.EpochLossSum / progress.EpochLossCount;
            var record = new EpochRecord(epoch, meanLoss, valid, seconds, samples / Math.Max(trainSeconds, 1e-9))
            {
                ValidationSeconds = seconds - trainSeconds,
                Steps = progress.Step,
                Lr = _settings.EffectiveSchedule.At(Math.Max(0, progress.Step - 1)),
            };
            var metric = valid.TryGetValue(_settings.SelectionMetric, out var m)
                ? m
                : throw new InvalidOperationException($"validation did not report {_settings.SelectionMetric}");
            (progress, var improved) = progress.CloseEpoch(record, metric);
            if (improved)
                checkpoints.Save(CheckpointKind.Best, progress);
            checkpoints.Save(CheckpointKind.Last, progress);
            observer.EpochCompleted(record, improved);
            if (progress.PatienceExhausted(_settings.Patience) || _settings.StepsSpent(progress.Step))
                return Finished(progress);
            if (cancel.IsCancellationRequested)
                return Interrupt(progress, checkpoints: null);
        }
        return Finished(progress);
    }

    /// <summary>Runs the validation evaluator in eval mode without gradients, on the weight average when there is one.</summary>
    public IReadOnlyDictionary<string, double> Validate()
    {
        _model.Module.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var averaged = Average?.SwappedIn();
            return _validation.Evaluate(_model);
        }
        finally
        {
            _model.Module.train();
        }
    }

    private enum StepResult { Applied, Abandoned, NonFiniteLoss, NonFiniteGradient, NonFiniteParameters }

    private (StepResult, double Loss) Step(SequenceBatch batch, long step, ITrainingObserver observer, CancellationToken cancel)
    {
        using var scope = torch.NewDisposeScope();
        // A step abandoned half way must leave the random stream where the step found it, so that
        // `last` (written next) resumes exactly as an uninterrupted run would continue.
        using var rng = torch.get_rng_state();
        var items = batch.ItemsTensor();
        var lengths = batch.LengthsTensor(_device);
        var targets = batch.TargetsTensor();
        // All-position training is causal by contract, and a prefix sample's loss reads its last real
        // position, so with right padding the columns after the longest row change nothing where the
        // model says so: dropping them saves their work (length-bucketed batches).
        if (_model.Padding == PaddingSide.Right && (batch.TargetPerPosition || _model.IgnoresTrailingPadding))
        {
            var used = batch.UsedWidth();
            items = items.narrow(1, 0, used).contiguous();
            if (batch.TargetPerPosition)
                targets = targets.narrow(1, 0, used).contiguous();
        }
        items = items.to(_device);
        targets = targets.to(_device);
        // Nothing of the step is applied before the optimizer runs, so a native failure in the forward or
        // backward passes (see NativeRetry) is retried once from the same state and random stream.
        var value = NativeRetry.Run(() =>
        {
            Optimizer.zero_grad();
            torch.set_rng_state(rng);
            // Drawn inside the retried part, from the step's random state, so a retry draws the same.
            var (input, inputTargets) = ItemDropout.Apply(items, targets, _settings.ItemDropout);
            return AccumulateGradients(input, lengths, inputTargets, cancel);
        }, observer, $"step {step + 1}");
        if (value is null)
        {
            Optimizer.zero_grad();
            torch.set_rng_state(rng);
            return (StepResult.Abandoned, double.NaN);
        }
        if (!double.IsFinite(value.Value))
            return (StepResult.NonFiniteLoss, value.Value);
        var parameters = _model.Module.parameters().ToArray();
        if (!AllFinite(parameters.Select(p => p.grad).OfType<Tensor>()))
            return (StepResult.NonFiniteGradient, value.Value);
        if (_settings.ClipNorm > 0)
            torch.nn.utils.clip_grad_norm_(parameters, _settings.ClipNorm);
        var lr = _settings.EffectiveSchedule.At(step);
        foreach (var group in Optimizer.ParamGroups)
            group.LearningRate = lr;
        WeightDecay.Apply(_decayed, lr, _settings.WeightDecay);
        Optimizer.step();
        // A finite gradient can still overflow a parameter (a huge learning rate): training stops
        // there and nothing of this state is ever checkpointed.
        if (!AllFinite(parameters))
            return (StepResult.NonFiniteParameters, value.Value);
        Average?.Update(step);
        return (StepResult.Applied, value.Value);
    }

    /// <summary>Whether every element of every tensor is finite (one synchronising read).</summary>
    private static bool AllFinite(IEnumerable<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        var flags = tensors.Select(t => t.isfinite().all()).ToArray();
        return flags.Length == 0 || torch.stack(flags).all().item<bool>();
    }

    /// <summary>
    /// The step's gradient into the parameters' .grad (see <see cref="GradientPass"/>). With gradient
    /// workers the rows are cut into equal parts: each worker gets one, this process computes the
    /// first meanwhile, and the workers' shares are added after, in worker order (so the sum is the
    /// same in every run). A stop request between micro-batches abandons the step (null).
    /// </summary>
    private double? AccumulateGradients(Tensor items, Tensor lengths, Tensor targets, CancellationToken cancel)
    {
        var rows = items.shape[0];
        var total = TargetsPerStep(targets);
        var parts = (int)Math.Min(rows, _peers.Count + 1);
        if (parts < 2)
            return GradientPass.Accumulate(_model, items, lengths, targets, _batches.Style, _settings.MicroBatchRows, total, cancel);

        var parameters = _model.Module.parameters().ToArray();
        var flat = GradientWorker.Flatten(parameters);
        long Start(int part) => rows * part / parts;
        for (var part = 1; part < parts; part++)
        {
            ulong seed;
            using (var draw = torch.randint(0, long.MaxValue, [1], dtype: ScalarType.Int64)) seed = (ulong)draw.item<long>();
            long from = Start(part), count = Start(part + 1) - from;
            _peers[part - 1].Send(Request(seed, items.narrow(0, from, count), lengths.narrow(0, from, count), targets.narrow(0, from, count), total, flat));
        }
        double? value;
        try
        {
            value = GradientPass.Accumulate(_model, items.narrow(0, 0, Start(1)), lengths.narrow(0, 0, Start(1)), targets.narrow(0, 0, Start(1)),
                _batches.Style, _settings.MicroBatchRows, total, cancel);
        }
        catch
        {
            // The replies are read even so: the next request must find each stream at a frame.
            for (var part = 1; part < parts; part++) _peers[part - 1].Receive();
            throw;
        }
        var replies = Enumerable.Range(1, parts - 1).Select(part => _peers[part - 1].Receive()).ToArray();
        foreach (var reply in replies)
        {
            if (reply.Status == GradientStatus.NativeError)
                throw new ExternalException(reply.Message);
            if (reply.Status != GradientStatus.Ok)
                throw new InvalidOperationException($"gradient worker: {reply.Message}");
        }
        if (value is not { } sum || !double.IsFinite(sum))
            return value;
        foreach (var reply in replies)
        {
            if (!double.IsFinite(reply.Value))
                return reply.Value;
            AddGradient(parameters, reply.Gradient);
            sum += reply.Value;
        }
        return sum;
    }

    private GradientRequest Request(ulong seed, Tensor items, Tensor lengths, Tensor targets, double total, float[] parameters)
    {
        static long[] Longs(Tensor t) => t.cpu().contiguous().data<long>().ToArray();
        return new GradientRequest(seed, _batches.Style, _settings.MicroBatchRows, total, items.shape, Longs(items), Longs(lengths),
            targets.shape, Longs(targets), parameters);
    }

    private static void AddGradient(Tensor[] parameters, float[] gradient)
    {
        using var scope = torch.NewDisposeScope();
        using var flat = torch.tensor(gradient);
        foreach (var (p, part) in GradientWorker.Parts(parameters, flat))
        {
            var share = part.to(p.dtype).to(p.device);
            if (p.grad is { } grad) grad.add_(share);
            else p.grad = share.clone().MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// What a step's summed loss is divided by. Prefix batches: their rows. All-position batches: the
    /// epoch's mean targets per batch, not the batch's own count, so that every target weighs the
    /// same in every step: a length-bucketed batch of short windows (few targets) moves the model
    /// less than one of full windows, as its targets would inside a random batch.
    /// </summary>
    private double TargetsPerStep(Tensor targets) =>
        _batches.Style == TrainingStyle.AllPositions
            ? (double)_batches.TargetsPerEpoch / Math.Max(1, _batches.BatchesPerEpoch)
            : targets.shape[0];

    private static long SamplesIn(SequenceBatch batch)
    {
        if (!batch.TargetPerPosition)
            return batch.Rows;
        long count = 0;
        foreach (var t in batch.Targets.AsSpan(0, batch.Rows * batch.Width))
            if (t != 0)
                count++;
        return count;
    }

    private TrainingOutcome Diverged(TrainingProgress progress, TrainingProgress start, StepResult result, double loss)
    {
        var what = result switch
        {
            StepResult.NonFiniteGradient => $"a gradient became non-finite (loss {loss})",
            StepResult.NonFiniteParameters => $"the update made parameters non-finite (loss before it {loss})",
            _ => $"the loss became {loss}",
        };
        return new TrainingOutcome(StopReason.Diverged, progress,
            $"training stopped: {what} in epoch {progress.Epoch + 1}, batch {progress.BatchInEpoch + 1} of {_batches.BatchesPerEpoch} " +
            $"(step {progress.Step + 1}); {KeptCheckpoint(progress, start)}. Try a lower learning rate, a warm-up or gradient clipping.");
    }

    /// <summary>
    /// The step was not kept. The newest checkpoint on disk is the one this run resumed from or the
    /// one written at the end of the latest epoch, whichever is later.
    /// </summary>
    private static string KeptCheckpoint(TrainingProgress progress, TrainingProgress start)
    {
        var epochEnd = progress.History.Count > start.History.Count ? progress.Step - progress.BatchInEpoch : 0;
        var lastSaved = Math.Max(start.Step, epochEnd);
        return lastSaved > 0 ? $"the last good checkpoint (`last`, step {lastSaved}) is kept" : "no checkpoint had been written yet";
    }

    /// <summary>Where the step about to be applied stands, in the words of the failure message.</summary>
    private string InStep(TrainingProgress progress) =>
        $"epoch {progress.Epoch + 1}, batch {progress.BatchInEpoch + 1} of {_batches.BatchesPerEpoch} (step {progress.Step + 1})";

    private static TrainingOutcome Failed(TrainingProgress progress, TrainingProgress start, string error, string at) =>
        new(StopReason.Failed, progress, $"training stopped: libtorch failed in {at}: {error}; {KeptCheckpoint(progress, start)}");

    private TrainingOutcome Interrupt(TrainingProgress progress, ICheckpointSink? checkpoints)
    {
        checkpoints?.Save(CheckpointKind.Last, progress);
        return new TrainingOutcome(StopReason.Interrupted, progress,
            $"interrupted in epoch {progress.Epoch + 1} after batch {progress.BatchInEpoch} of {_batches.BatchesPerEpoch}; the `last` checkpoint is written");
    }

    private TrainingOutcome Finished(TrainingProgress progress) =>
        progress.PatienceExhausted(_settings.Patience)
            ? new TrainingOutcome(StopReason.EarlyStopped, progress,
                $"early stop: no {_settings.SelectionMetric} improvement for {_settings.Patience} epochs (best epoch {progress.BestEpoch + 1})")
            : new TrainingOutcome(StopReason.Completed, progress,
                $"finished {progress.Epoch} epochs (best epoch {progress.BestEpoch + 1})");

    public void Dispose()
    {
        Average?.Dispose();
        Optimizer.Dispose();
    }
}
