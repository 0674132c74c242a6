using Grela.Cli.Runs;
using Grela.Cli.Serving;
using Grela.Models.RecGrela;

namespace Grela.Tests.Serving;

/// <summary>
/// The managed CPU user model (what `grela serve` runs for causal RecGRELA in float32) against the
/// torch streaming user model on the same trained run: same answers, and each reads the other's states.
/// </summary>
[Collection(ServeCollection.Name)]
public class ManagedUserModelTests(ServeRunsFixture runs)
{
    static (IUserModel Managed, IUserModel Torch) Models(LoadedRun run)
    {
        var vocabulary = new ItemVocabulary(run.Header.ItemTokens, run.ItemCount);
        var network = ((RecGrelaRecommender)run.Model).Network;
        return (new ManagedStreamingUserModel(network, vocabulary), new StreamingUserModel(network, vocabulary));
    }

    static void SameAnswer(Recommendations expected, Recommendations actual, string what)
    {
        Assert.Equal(expected.Items.Count, actual.Items.Count);
        for (var i = 0; i < expected.Items.Count; i++)
        {
            Assert.True(Math.Abs(expected.Scores[i] - actual.Scores[i]) < 1e-4, $"{what}: score {i}: {expected.Scores[i]} vs {actual.Scores[i]}");
            // Items may swap only where the torch scores tie within the tolerance.
            var tied = (i > 0 && expected.Scores[i - 1] - expected.Scores[i] < 1e-4)
                || (i + 1 < expected.Scores.Count && expected.Scores[i] - expected.Scores[i + 1] < 1e-4);
            Assert.True(tied || expected.Items[i] == actual.Items[i], $"{what}: item {i}: {expected.Items[i]} vs {actual.Items[i]}");
        }
    }

    [Theory]
    [InlineData(3)]                                       // a new user's few events: managed steps
    [InlineData(ManagedStreamingUserModel.PrefillFrom)]   // a long first batch: the torch prefill, then managed steps
    public void The_served_model_is_the_managed_one_and_answers_as_the_torch_steps(int first)
    {
        using var run = LoadedRun.Open(runs.Causal);
        Assert.IsType<ManagedStreamingUserModel>(ServedRun.ModelFor(run, new ItemVocabulary(run.Header.ItemTokens, run.ItemCount)));
        var (managed, torch) = Models(run);
        var items = run.ItemCount - 1;
        var history = Enumerable.Range(0, first).Select(i => 1L + (i * 7L) % items).ToList();
        var m = managed.Fold(null, history);
        var t = torch.Fold(null, history);
        SameAnswer(torch.Top(t, 10), managed.Top(m, 10), "first batch");
        for (var i = 0; i < 12; i++)
        {
            IReadOnlyList<long> events = i % 3 == 0 ? [1 + (i * 5L) % items, 1 + (i * 11L) % items] : [1 + (i * 13L) % items];
            var (nextM, nextT) = (managed.Fold(m, events), torch.Fold(t, events));
            t.Dispose();
            (m, t) = (nextM, nextT);
            Assert.Equal(t.Events, m.Events);
            SameAnswer(torch.Top(t, 10), managed.Top(m, 10), $"after event {i}");
        }
        t.Dispose();
    }

    [Fact]
    public void Each_path_reads_the_states_the_other_stores_byte_for_byte()
    {
        using var run = LoadedRun.Open(runs.Causal);
        var (managed, torch) = Models(run);
        using var t = torch.Fold(null, [1, 2, 3, 4]);
        var m = managed.Fold(null, [4, 3, 2, 1, 5]);
        var torchBytes = torch.Encode(t)!;
        var managedBytes = managed.Encode(m)!;
        Assert.Equal(torchBytes.Length, managedBytes.Length);

        var inManaged = managed.Decode(torchBytes, t.Events)!;
        Assert.Equal(torchBytes, managed.Encode(inManaged));
        SameAnswer(torch.Top(t, 10), managed.Top(inManaged, 10), "torch state read by the managed model");

        using var inTorch = torch.Decode(managedBytes, m.Events)!;
        Assert.Equal(managedBytes, torch.Encode(inTorch));
        SameAnswer(managed.Top(m, 10), torch.Top(inTorch, 10), "managed state read by the torch model");

        Assert.Null(managed.Decode(torchBytes[..^4], t.Events));
        Assert.Null(managed.Decode([.. "GSS0"u8, .. torchBytes[4..]], t.Events));
    }
}
