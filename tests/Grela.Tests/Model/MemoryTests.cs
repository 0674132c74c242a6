using Grela.Models;
using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>No tensor leaks: the live tensor count stays flat over repeated steps.</summary>
public class MemoryTests
{
    static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void Streaming_steps_leave_no_tensors_behind()
    {
        using var m = SmallModels.Build(SmallModels.Spec(AttentionMode.Causal), 5);
        using var items = torch.tensor(new long[] { 3, 0 });
        var state = RecGrelaStreaming.Start(m, 2);
        var counts = new List<long>();
        for (int t = 0; t < 12; t++)
        {
            var next = RecGrelaStreaming.Step(m, state, items);
            state.Dispose();
            state = next;
            counts.Add(Live);
        }
        state.Dispose();
        Assert.True(counts.Distinct().Count() == 1, "live tensors per step: " + string.Join(", ", counts));
    }

    [Theory]
    [InlineData(AttentionMode.Global, TrainingStyle.Prefix)]
    [InlineData(AttentionMode.Causal, TrainingStyle.AllPositions)]
    public void Training_steps_in_a_dispose_scope_leave_no_tensors_behind(AttentionMode mode, TrainingStyle style)
    {
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items: 15, Dim: 8, Heads: 2, Layers: 2, MaxLength: 6, Mode: mode));
        using var items = torch.tensor(new long[] { 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 9, 10 }).view(2, 6);
        using var lengths = torch.tensor(new long[] { 4, 6 });
        using var targets = style == TrainingStyle.Prefix ? torch.tensor(new long[] { 5, 11 }) : (items + 1) * items.ne(0);
        using var optimizer = optim.Adam(model.Module.parameters(), lr: 0.01);
        var counts = new List<long>();
        for (int step = 0; step < 6; step++)
        {
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = model.Loss(items, lengths, targets, style);
                loss.backward();
                optimizer.step();
            }
            counts.Add(Live);
        }
        // The first step creates the gradients and Adam's moments; after that nothing may accumulate.
        Assert.True(counts.Skip(1).Distinct().Count() == 1, "live tensors per step: " + string.Join(", ", counts));
    }
}
