using Grela.Training;
using Grela.Training.Parallel;

namespace Grela.Tests.Training;

/// <summary>
/// Data-parallel steps: the rows of each step split between this process and gradient workers sum
/// to the step's gradient, deterministically, and a worker's native failure is retried like one here.
/// </summary>
[Collection(TorchSerial.Name)]
public sealed class DataParallelTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-dp-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private string Folder(string name) => Path.Combine(_root, name);

    private static Func<int, IReadOnlyList<IGradientPeer>> Workers(int count, double dropout, List<InlinePeer> made) => items =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var peer = new InlinePeer(new TinyModel(items, 8, dropout));
            made.Add(peer);
            return (IGradientPeer)peer;
        })];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Without_dropout_split_steps_train_the_same_model_as_whole_steps(int workers)
    {
        using var whole = new TinyRun(Folder("whole"), dropout: 0);
        var expected = whole.Run();
        var peers = new List<InlinePeer>();
        using var split = new TinyRun(Folder($"split-{workers}"), dropout: 0, peers: Workers(workers, 0, peers));
        var outcome = split.Run();
        Assert.Equal(StopReason.Completed, outcome.Reason);
        // Every step sent each worker its rows (batches of 16 rows, so every part is non-empty).
        Assert.All(peers, p => Assert.Equal(outcome.Progress.Step, p.Requests));
        // The same sums in another order: equal to float32 rounding, not bit for bit.
        var a = whole.Parameters();
        var b = split.Parameters();
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-4, $"parameter {i}: {a[i]} vs {b[i]}");
        Assert.Equal(expected.Progress.History.Select(r => Math.Round(r.Loss, 4)), outcome.Progress.History.Select(r => Math.Round(r.Loss, 4)));
        foreach (var p in peers) p.Dispose();
    }

    [Fact]
    public void With_dropout_two_split_runs_with_one_seed_are_identical()
    {
        var peersA = new List<InlinePeer>();
        var peersB = new List<InlinePeer>();
        using var a = new TinyRun(Folder("a"), peers: Workers(1, 0.2, peersA));
        a.Run();
        using var b = new TinyRun(Folder("b"), peers: Workers(1, 0.2, peersB));
        b.Run();
        Assert.Equal(a.Parameters(), b.Parameters());
        foreach (var p in peersA.Concat(peersB)) p.Dispose();
    }

    [Fact]
    public void A_native_failure_in_a_worker_is_retried_and_the_run_ends_as_an_undisturbed_one()
    {
        var calm = new List<InlinePeer>();
        var failing = new List<InlinePeer>();
        using var undisturbed = new TinyRun(Folder("calm"), peers: Workers(1, 0.2, calm));
        undisturbed.Run();
        using var disturbed = new TinyRun(Folder("failing"), peers: Workers(1, 0.2, failing));
        failing[0].FailNatively = request => request == 6;
        var outcome = disturbed.Run();
        Assert.Equal(StopReason.Completed, outcome.Reason);
        Assert.Equal(undisturbed.Parameters(), disturbed.Parameters());
        Assert.Equal(calm[0].Requests + 1, failing[0].Requests);
        foreach (var p in calm.Concat(failing)) p.Dispose();
    }
}
