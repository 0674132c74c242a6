using Grela.Runs;
using Grela.Training;
using TorchSharp;

namespace Grela.Tests.Training;

[Collection(TorchSerial.Name)]
public sealed class WeightAverageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-average-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private string Folder(string name) => Path.Combine(_root, name);

    private static TrainerSettings Averaged(TrainerSettings s) => s with { EmaDecay = 0.9 };

    private static float[] Flat(torch.nn.Module module) => [.. module.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    [Fact]
    public void Each_update_keeps_the_warm_up_share_of_the_average_and_a_swap_round_trip_is_exact()
    {
        Assert.Equal(0.1, WeightAverage.DecayAt(0.999, 0), 12);
        Assert.Equal(11.0 / 20, WeightAverage.DecayAt(0.999, 10), 12);
        Assert.Equal(0.999, WeightAverage.DecayAt(0.999, 1_000_000), 12);
        // The warm-up binds until (1 + n) / (10 + n) reaches the decay (8,990 updates for 0.999), so
        // over the default ML-1M plan (7,020 steps) 0.999 and 0.9995 give the same average.
        Assert.Equal(WeightAverage.DecayAt(0.9995, 7_019), WeightAverage.DecayAt(0.999, 7_019));
        Assert.True(WeightAverage.DecayAt(0.999, 7_019) < 0.999);
        Assert.Equal(0.999, WeightAverage.DecayAt(0.999, 8_990), 12);
        Assert.True(WeightAverage.DecayAt(0.9995, 8_990) < 0.9995);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightAverage(torch.nn.Linear(2, 2), 1.0));

        torch.manual_seed(3);
        using var layer = torch.nn.Linear(3, 2);
        using var average = new WeightAverage(layer, 0.5);
        var start = Flat(layer);
        using (torch.no_grad())
            foreach (var p in layer.parameters()) p.add_(1.0);
        var moved = Flat(layer);
        average.Update(step: 100);   // past the warm-up: keeps half
        using (average.SwappedIn())
        {
            var inside = Flat(layer);
            for (var i = 0; i < start.Length; i++)
                Assert.Equal(0.5f * start[i] + 0.5f * moved[i], inside[i], 5);
        }
        Assert.Equal(moved, Flat(layer));
    }

    [Fact]
    public void An_average_leaves_training_unchanged_and_validation_scores_the_averaged_weights()
    {
        using var plain = new TinyRun(Folder("plain"));
        var without = plain.Run();
        using var averaged = new TinyRun(Folder("averaged"), tune: Averaged);
        var with = averaged.Run();

        Assert.Equal(without.Progress.History.Select(r => r.Loss), with.Progress.History.Select(r => r.Loss));
        Assert.Equal(plain.Parameters(), averaged.Parameters());
        Assert.NotEqual(averaged.Parameters(), averaged.AverageParameters());
        // The last epoch's validation score is the averaged weights' score, not the training weights'.
        Assert.Equal(without.Progress.History[^1].Valid[MetricNames.Selection], plain.Trainer.Validate()[MetricNames.Selection]);
        var validated = with.Progress.History[^1].Valid[MetricNames.Selection];
        Assert.Equal(validated, averaged.Trainer.Validate()[MetricNames.Selection]);
        // Validation puts the training weights back exactly.
        Assert.Equal(plain.Parameters(), averaged.Parameters());
    }

    [Fact]
    public void A_checkpoint_keeps_both_weight_sets_and_loads_the_one_asked_for()
    {
        using var run = new TinyRun(Folder("saved"), tune: Averaged);
        run.Run();
        var (live, mean) = (run.Parameters(), run.AverageParameters());
        Assert.Equal("GRELACK2"u8.ToArray(), File.ReadAllBytes(run.Folder.Last)[..8]);
        var checkpoint = CheckpointFile.Read(run.Folder.Last);
        Assert.True(checkpoint.HasAverage);

        using var other = new TinyRun(Folder("other"), seed: 5);
        checkpoint.LoadWeights(other.Model.Module, other.Hash, run.Folder.Last, CheckpointWeights.Average);
        Assert.Equal(mean, other.Parameters());
        checkpoint.LoadWeights(other.Model.Module, other.Hash, run.Folder.Last, CheckpointWeights.Training);
        Assert.Equal(live, other.Parameters());

        // Without an average a checkpoint keeps the first layout, and "average" falls back to the training weights.
        using var plain = new TinyRun(Folder("plain-saved"));
        plain.Run();
        Assert.Equal("GRELACK1"u8.ToArray(), File.ReadAllBytes(plain.Folder.Last)[..8]);
        var first = CheckpointFile.Read(plain.Folder.Last);
        Assert.False(first.HasAverage);
        first.LoadWeights(other.Model.Module, other.Hash, plain.Folder.Last, CheckpointWeights.Average);
        Assert.Equal(plain.Parameters(), other.Parameters());

        // A second-layout file whose average section is empty is refused, naming the file.
        var forged = Path.Combine(_root, "empty-average.ckpt");
        File.WriteAllBytes(forged, WithEmptyAverage(File.ReadAllBytes(run.Folder.Last)));
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(forged));
        Assert.Equal($"{forged}: a \"GRELACK2\" checkpoint with an empty weight average section (corrupt checkpoint)", error.Message);
    }

    private static byte[] WithEmptyAverage(byte[] checkpoint)
    {
        var offset = 8;
        for (var i = 0; i < 4; i++)
            offset += 8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(checkpoint.AsSpan(offset, 8));
        byte[] content = [.. checkpoint.AsSpan(0, offset), .. new byte[8]];
        return [.. content, .. System.Security.Cryptography.SHA256.HashData(content)];
    }

    [Fact]
    public void Resuming_a_run_with_an_average_mid_epoch_ends_exactly_like_an_uninterrupted_one()
    {
        using var whole = new TinyRun(Folder("whole"), tune: Averaged);
        whole.Run();
        var cancel = new CancellationTokenSource();
        using (var interrupted = new TinyRun(Folder("cut"), tune: Averaged))
        {
            interrupted.Trainer.StepDone += s => { if (s.Step == 6) cancel.Cancel(); };
            Assert.Equal(StopReason.Interrupted, interrupted.Run(cancel.Token).Reason);
        }
        using var resumed = new TinyRun(Folder("cut"), tune: Averaged);
        // Whatever the fresh trainer's average started from, the checkpoint's replaces it.
        resumed.Run(start: resumed.RestoreLast());
        Assert.Equal(whole.Parameters(), resumed.Parameters());
        Assert.Equal(whole.AverageParameters(), resumed.AverageParameters());
    }
}
