using Grela.Cli.Runs;
using Grela.Cli.Serving;
using TorchSharp;

namespace Grela.Tests.Serving;

/// <summary>The two ways of keeping a user's state, without HTTP: tensors are freed, and a stored state comes back exactly.</summary>
[Collection(ServeCollection.Name)]
public class UserModelTests(ServeRunsFixture runs)
{
    static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    static IUserModel Model(LoadedRun run) => ServedRun.ModelFor(run, new ItemVocabulary(run.Header.ItemTokens, run.ItemCount));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Events_answers_and_stored_states_leave_no_tensor_behind(bool window)
    {
        using var run = LoadedRun.Open(window ? runs.Window : runs.Causal);
        var model = Model(run);
        Assert.Equal(window ? "window" : "streaming", model.StateKind);
        var state = model.Fold(null, [1, 2, 3]);
        var counts = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var next = model.Fold(state, [i + 4, i + 5]);
            state.Dispose();
            state = next;
            var top = model.Top(state, 10);
            if (model.Encode(state) is { } bytes)
            {
                using var back = model.Decode(bytes, state.Events)!;
                var again = model.Top(back, 10);
                Assert.Equal(top.Items, again.Items);
                Assert.Equal(top.Scores, again.Scores);
                Assert.Null(model.Decode(bytes[..^4], state.Events));
            }
            counts.Add(Live);
        }
        state.Dispose();
        Assert.True(counts.Distinct().Count() == 1, "live tensors per event: " + string.Join(", ", counts));
    }
}
