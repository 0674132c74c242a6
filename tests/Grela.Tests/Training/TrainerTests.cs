using Grela.Runs;
using Grela.Training;
using TorchSharp;

namespace Grela.Tests.Training;

[Collection(TorchSerial.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-trainer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private string Folder(string name) => Path.Combine(_root, name);

    [Fact]
    public void Two_runs_with_the_same_seed_give_identical_history_and_weights()
    {
        // Sequential on purpose: both runs draw from libtorch's one global generator.
        using var a = new TinyRun(Folder("a"));
        var first = a.Run();
        using var b = new TinyRun(Folder("b"));
        var second = b.Run();
        Assert.Equal(StopReason.Completed, first.Reason);
        Assert.Equal(first.Progress.History.Select(r => (r.Loss, r.Valid[MetricNames.Selection])),
                     second.Progress.History.Select(r => (r.Loss, r.Valid[MetricNames.Selection])));
        Assert.Equal(a.Parameters(), b.Parameters());
    }

    [Fact]
    public void Resuming_after_an_interruption_mid_epoch_ends_exactly_like_an_uninterrupted_run()
    {
        using var whole = new TinyRun(Folder("whole"));
        var expected = whole.Run();

        var cancel = new CancellationTokenSource();
        using (var interrupted = new TinyRun(Folder("cut")))
        {
            // Step 5 lies inside the second epoch (4 batches per epoch).
            interrupted.Trainer.StepDone += s => { if (s.Step == 5) cancel.Cancel(); };
            var stopped = interrupted.Run(cancel.Token);
            Assert.Equal(StopReason.Interrupted, stopped.Reason);
            Assert.Equal(5, stopped.Progress.Step);
            Assert.True(stopped.Progress.BatchInEpoch > 0, "the interruption should fall inside an epoch");
        }

        // A fresh process: new model and optimizer (different init draws), then the checkpoint.
        using var resumed = new TinyRun(Folder("cut"), seed: 11);
        torch.manual_seed(999);
        var start = resumed.RestoreLast();
        Assert.Equal(5, start.Step);
        var actual = resumed.Run(start: start);

        Assert.Equal(StopReason.Completed, actual.Reason);
        Assert.Equal(expected.Progress.History.Select(r => (r.Epoch, r.Loss)), actual.Progress.History.Select(r => (r.Epoch, r.Loss)));
        Assert.Equal(expected.Progress.History.Select(r => r.Valid[MetricNames.Selection]), actual.Progress.History.Select(r => r.Valid[MetricNames.Selection]));
        Assert.Equal(expected.Progress.BestEpoch, actual.Progress.BestEpoch);
        Assert.Equal(whole.Parameters(), resumed.Parameters());
    }

    // 4 batches per epoch x 3 epochs: warm-up over 3 steps, then a cosine decay to the floor at step 11.
    private static TrainerSettings Scheduled(TrainerSettings s) =>
        s with { Schedule = new LrSchedule(s.Lr, LrDecay.Cosine, WarmupSteps: 3, TotalSteps: 12, Floor: 0.2), ClipNorm = 0.5 };

    [Fact]
    public void A_trained_run_with_weight_decay_ends_with_smaller_weight_matrices()
    {
        using var plain = new TinyRun(Folder("plain"));
        plain.Run();
        using var decayed = new TinyRun(Folder("decayed"),
            tune: s => s with { WeightDecay = 20 });   // lr 0.01: every step scales the matrices by 0.8
        decayed.Run();
        double MatrixNorm(TinyRun run) => run.Model.Module.parameters().Where(p => p.dim() >= 2).Sum(p => p.detach().norm().item<float>());
        Assert.True(MatrixNorm(decayed) < 0.5 * MatrixNorm(plain), $"{MatrixNorm(decayed)} against {MatrixNorm(plain)}");
    }

    [Fact]
    public void A_schedule_and_clipping_change_the_steps_and_the_last_step_runs_at_the_floor()
    {
        using var plain = new TinyRun(Folder("plain"));
        plain.Run();
        using var scheduled = new TinyRun(Folder("scheduled"), tune: Scheduled);
        var outcome = scheduled.Run();
        Assert.Equal(12, outcome.Progress.Step);
        Assert.NotEqual(plain.Parameters(), scheduled.Parameters());
        Assert.All(scheduled.Trainer.Optimizer.ParamGroups, g => Assert.Equal(0.01 * 0.2, g.LearningRate, 12));
    }

    [Fact]
    public void Resuming_a_scheduled_clipped_run_mid_epoch_ends_exactly_like_an_uninterrupted_one()
    {
        using var whole = new TinyRun(Folder("whole-s"), tune: Scheduled);
        whole.Run();
        var cancel = new CancellationTokenSource();
        using (var interrupted = new TinyRun(Folder("cut-s"), tune: Scheduled))
        {
            interrupted.Trainer.StepDone += s => { if (s.Step == 6) cancel.Cancel(); };
            Assert.Equal(StopReason.Interrupted, interrupted.Run(cancel.Token).Reason);
        }
        using var resumed = new TinyRun(Folder("cut-s"), tune: Scheduled);
        var start = resumed.RestoreLast();
        resumed.Run(start: start);
        Assert.Equal(whole.Parameters(), resumed.Parameters());
    }

    [Fact]
    public void A_stop_request_between_micro_batches_abandons_the_step_and_resumes_exactly()
    {
        using var whole = new TinyRun(Folder("whole-m"), microBatchRows: 4);
        whole.Run();
        var cancel = new CancellationTokenSource();
        using (var interrupted = new TinyRun(Folder("cut-m"), microBatchRows: 4))
        {
            // Batches of 16 rows in micro-batches of 4: loss call 22 is the second pass of step 6.
            interrupted.Model.OnLoss = call => { if (call == 22) cancel.Cancel(); };
            var stopped = interrupted.Run(cancel.Token);
            Assert.Equal(StopReason.Interrupted, stopped.Reason);
            Assert.Equal(5, stopped.Progress.Step);
            Assert.True(interrupted.Model.LossCalls < 24, "the step went on after the stop request");
        }
        using var resumed = new TinyRun(Folder("cut-m"), microBatchRows: 4);
        resumed.Run(start: resumed.RestoreLast());
        Assert.Equal(whole.Parameters(), resumed.Parameters());
    }

    [Fact]
    public void A_native_failure_inside_a_step_is_retried_from_the_same_state_and_the_run_ends_as_an_undisturbed_one()
    {
        using var whole = new TinyRun(Folder("undisturbed"));
        whole.Run();
        using var disturbed = new TinyRun(Folder("native-once"));
        // Loss call 6 (epoch 2, batch 2) fails once after drawing its dropout masks; call 7 is its retry.
        disturbed.Model.FailAfterForward = call => call == 6;
        var messages = new MessageLog();
        var outcome = disturbed.Run(observer: messages);
        Assert.Equal(StopReason.Completed, outcome.Reason);
        Assert.Equal(whole.Parameters(), disturbed.Parameters());
        var note = Assert.Single(messages.Lines);
        Assert.Equal("libtorch failed in step 6 (Expected false to be true, but got false. (raised from toFloat at /pytorch/c10/core/Scalar.h:140)); running it again", note);
    }

    [Fact]
    public void A_native_failure_that_comes_back_stops_training_cleanly_and_keeps_the_last_good_checkpoint()
    {
        using var run = new TinyRun(Folder("native-always"));
        run.Model.FailAfterForward = call => call >= 6;
        var outcome = run.Run();
        Assert.Equal(StopReason.Failed, outcome.Reason);
        Assert.Equal("training stopped: libtorch failed in epoch 2, batch 2 of 4 (step 6): Expected false to be true, but got false. " +
            "(raised from toFloat at /pytorch/c10/core/Scalar.h:140); the last good checkpoint (`last`, step 4) is kept", outcome.Message);
        Assert.Equal(5, outcome.Progress.Step);
        Assert.Equal(4, CheckpointFile.Read(run.Folder.Last).Header.Progress.Step);
    }

    private sealed class MessageLog : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public void EpochStarted(int epoch, int totalEpochs, int batches, int startBatch) { }
        public void StepCompleted(StepReport step) { }
        public void EpochCompleted(EpochRecord record, bool improved) { }
        public void Message(string text) => Lines.Add(text);
    }

    [Fact]
    public void A_finite_loss_with_a_non_finite_gradient_is_not_applied_and_the_last_good_checkpoint_stays()
    {
        // Step 6 (second epoch) has a finite loss and a NaN gradient: Adam would turn weights into NaN.
        using var run = new TinyRun(Folder("nan-grad"));
        run.Model.PoisonGradientCall = 6;
        var outcome = run.Run();
        Assert.Equal(StopReason.Diverged, outcome.Reason);
        Assert.Contains("gradient became non-finite", outcome.Message);
        Assert.Equal(5, outcome.Progress.Step);
        Assert.All(run.Parameters(), p => Assert.True(float.IsFinite(p)));
        var last = CheckpointFile.Read(run.Folder.Last);
        Assert.Equal(4, last.Header.Progress.Step);
    }

    [Fact]
    public void A_step_budget_ends_training_inside_an_epoch_which_is_validated_and_kept_like_a_full_one()
    {
        // 4 batches an epoch: a budget of 6 steps ends in the second epoch, after its second batch.
        using var run = new TinyRun(Folder("budget"), epochs: 3, tune: s => s with { MaxSteps = 6 });
        var reports = new List<StepReport>();
        run.Trainer.StepDone += reports.Add;
        var outcome = run.Run();
        // Progress shows the cut epoch's length: 4 batches, then the 2 the budget leaves.
        Assert.Equal([4, 4, 4, 4, 2, 2], reports.Select(r => r.Batches));
        Assert.Equal(StopReason.Completed, outcome.Reason);
        Assert.Equal(6, outcome.Progress.Step);
        Assert.Equal([4L, 6L], outcome.Progress.History.Select(r => r.Steps));
        Assert.Equal(2, outcome.Progress.Epoch);
        Assert.Equal(6, CheckpointFile.Read(run.Folder.Last).Header.Progress.Step);

        // The first six steps are those of an unlimited run with the same seed.
        using var unlimited = new TinyRun(Folder("unlimited"), epochs: 3);
        var full = unlimited.Run();
        Assert.Equal(full.Progress.History[0].Loss, outcome.Progress.History[0].Loss);
        Assert.True(full.Progress.Step > 6);

        // Resuming a run whose budget is spent trains no further.
        using var again = new TinyRun(Folder("budget"), epochs: 3, tune: s => s with { MaxSteps = 6 });
        var start = again.RestoreLast();
        var before = again.Parameters();
        Assert.Equal(6, again.Run(start: start).Progress.Step);
        Assert.Equal(before, again.Parameters());
    }

    [Fact]
    public void Without_improvement_training_stops_after_patience_epochs()
    {
        // lr 0 never changes the model, so validation never improves after the first epoch.
        using var run = new TinyRun(Folder("flat"), epochs: 10, patience: 2, lr: 0);
        var outcome = run.Run();
        Assert.Equal(StopReason.EarlyStopped, outcome.Reason);
        Assert.Equal(3, outcome.Progress.History.Count);
        Assert.Equal(0, outcome.Progress.BestEpoch);
    }

    [Fact]
    public void A_nan_loss_stops_training_and_keeps_the_last_good_checkpoint()
    {
        using var run = new TinyRun(Folder("nan"), epochs: 5);
        run.Model.PoisonCall = 5; // second epoch, second batch
        var outcome = run.Run();
        Assert.Equal(StopReason.Diverged, outcome.Reason);
        Assert.Contains("NaN", outcome.Message);
        Assert.Contains("in epoch 2", outcome.Message);
        var last = CheckpointFile.Read(run.Folder.Last);
        Assert.Equal(1, last.Header.Progress.Epoch);
        Assert.Equal(0, last.Header.Progress.BatchInEpoch);
        Assert.Contains($"(`last`, step {last.Header.Progress.Step}) is kept", outcome.Message);
        Assert.All(run.Parameters(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void The_live_tensor_count_stays_flat_across_steps()
    {
        using var run = new TinyRun(Folder("memory"), epochs: 3);
        var live = new List<long>();
        run.Trainer.StepDone += _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        run.Run();
        Assert.True(live.Count >= 8, $"expected several steps, got {live.Count}");
        // After the first steps (Adam creates its state lazily), every step must leave the count unchanged.
        Assert.All(live.Skip(2), count => Assert.Equal(live[2], count));
    }
}
