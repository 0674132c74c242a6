using System.Diagnostics;
using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Bench;

/// <summary>
/// `grela bench stream`: for a user with a history of H items, the latency of folding one new
/// interaction into the causal model's streaming state and scoring every item, against
/// recomputing the scores from the whole history with the parallel (chunked) causal forward; and the
/// same update + scores by the managed CPU engine (<see cref="ManagedStreaming"/>).
/// </summary>
public static class StreamBench
{
    public static IReadOnlyList<StreamCase> Run(IReadOnlyList<int> histories, int dim, int items, int repeats, int seed, Action<StreamCase> onCase)
    {
        using var bench = new BenchModel(dim, items, seed);
        var (model, network, managed) = (bench.Model, bench.Network, bench.Managed);
        using var _ = torch.no_grad();
        var results = new List<StreamCase>();
        foreach (var history in histories)
        {
            using var scope = torch.NewDisposeScope();
            var sequence = torch.randint(1, items, [1, history + 1], dtype: ScalarType.Int64);
            using var past = sequence.narrow(1, 0, history);
            using var next = sequence.narrow(1, history, 1).reshape(1);
            using var state = RecGrelaStreaming.Prefill(network, past);

            var updates = Measure(repeats, () =>
            {
                using var stepped = RecGrelaStreaming.Step(network, state, next);
                using var scores = RecGrelaStreaming.Scores(network, stepped);
            });
            // Recomputing is linear in H: a few repeats suffice at long histories.
            var lengths = torch.tensor(new long[] { history + 1 });
            var recomputes = Measure(Math.Max(1, Math.Min(repeats, 200_000 / (history + 1))), () =>
            {
                using var scores = model.FullSortScores(sequence, lengths);
            });
            var update = Statistics.Median(updates) * 1000;
            var recompute = Statistics.Median(recomputes) * 1000;
            var result = new StreamCase(history, update, recompute, recompute / update, repeats, ManagedUpdate(managed, state, next.item<long>(), repeats));
            results.Add(result);
            onCase(result);
        }
        return results;
    }

    /// <summary>
    /// Per-event cost of one torch step + scores for <paramref name="users"/> users at once, against the
    /// managed engine stepping and scoring them one after another (the cost does not depend on the
    /// history length, so each user has a short random one).
    /// </summary>
    public static IReadOnlyList<StreamBatchCase> Batched(IReadOnlyList<int> users, int dim, int items, int repeats, int seed, Action<StreamBatchCase> onCase)
    {
        using var bench = new BenchModel(dim, items, seed);
        var (network, managed) = (bench.Network, bench.Managed);
        using var _ = torch.no_grad();
        var results = new List<StreamBatchCase>();
        foreach (var count in users)
        {
            using var scope = torch.NewDisposeScope();
            var sequence = torch.randint(1, items, [count, 21], dtype: ScalarType.Int64);
            using var state = RecGrelaStreaming.Prefill(network, sequence.narrow(1, 0, 20));
            using var next = sequence.select(1, 20).contiguous();
            var torchStep = Statistics.Median(Measure(repeats, () =>
            {
                using var stepped = RecGrelaStreaming.Step(network, state, next);
                using var scores = RecGrelaStreaming.Scores(network, stepped);
            })) * 1000 / count;
            double? managedStep = null;
            if (managed is not null)
            {
                var nextItems = next.data<long>().ToArray();
                var starts = Enumerable.Range(0, count).Select(u =>
                {
                    using var one = Slice(state, u);
                    return managed.Import(one);
                }).ToArray();
                var scores = new float[managed.Items];
                managedStep = Statistics.Median(Measure(repeats, () =>
                {
                    for (var u = 0; u < count; u++) managed.Scores(managed.Step(starts[u], nextItems[u]), scores);
                })) * 1000 / count;
            }
            var result = new StreamBatchCase(count, torchStep, managedStep, repeats);
            results.Add(result);
            onCase(result);
        }
        return results;
    }

    /// <summary>A seeded causal RecGRELA in eval mode, with the managed engine where it fits.</summary>
    sealed class BenchModel : IDisposable
    {
        public BenchModel(int dim, int items, int seed)
        {
            torch.manual_seed(seed);
            Model = RecGrelaRecommender.Create(new RecGrelaModel(Items: items, Dim: dim, Mode: AttentionMode.Causal));
            Network.eval();
            Managed = ManagedStreaming.Fits(Network) ? ManagedStreaming.From(Network) : null;
        }

        public RecGrelaRecommender Model { get; }
        public RecGrelaModel.Module Network => Model.Network;
        public ManagedStreaming? Managed { get; }
        public void Dispose() => Model.Dispose();
    }

    /// <summary>User <paramref name="u"/>'s part of a batched state, as a one-user state.</summary>
    static RecGrelaStreamState Slice(RecGrelaStreamState state, int u) => new(
        state.Positions.narrow(0, u, 1).clone(),
        [.. state.Blocks.Select(b => new BlockStreamState(b.S.narrow(0, u, 1).clone(), b.Z.narrow(0, u, 1).clone(), b.ConvTail.narrow(0, u, 1).clone()))],
        state.Hidden.narrow(0, u, 1).clone());

    /// <summary>Median ms of the same update + scores by the managed engine (what `grela serve` runs on the CPU), or null without one.</summary>
    static double? ManagedUpdate(ManagedStreaming? engine, RecGrelaStreamState state, long item, int repeats)
    {
        if (engine is null) return null;
        var start = engine.Import(state);
        var scores = new float[engine.Items];
        return Statistics.Median(Measure(repeats, () => engine.Scores(engine.Step(start, item), scores))) * 1000;
    }

    static List<double> Measure(int repeats, Action work)
    {
        work(); // warm-up
        var times = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            work();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return times;
    }
}
