using Grela.Models;
using Grela.Training;

namespace Grela.Tests.Training;

public class MicroBatchingTests
{
    [Fact]
    public void Micro_batches_sum_to_the_whole_batch_update()
    {
        // The tiny model has no dropout, so the only difference is the order of float additions.
        using var whole = new TinyRun(Directory.CreateTempSubdirectory("grela-mb-").FullName, epochs: 2, dropout: 0);
        using var split = new TinyRun(Directory.CreateTempSubdirectory("grela-mb-").FullName, epochs: 2, microBatchRows: 5, dropout: 0);
        var a = whole.Run();
        var b = split.Run();
        Assert.Equal(a.Progress.Step, b.Progress.Step);
        var pa = whole.Parameters();
        var pb = split.Parameters();
        Assert.Equal(pa.Length, pb.Length);
        for (int i = 0; i < pa.Length; i++)
            Assert.True(Math.Abs(pa[i] - pb[i]) <= 1e-4 * (1 + Math.Abs(pa[i])), $"parameter {i}: {pa[i]} vs {pb[i]}");
        Assert.Equal(a.Progress.History[^1].Loss, b.Progress.History[^1].Loss, 4);
    }

    [Theory]
    [InlineData(0, 2048, 200, TrainingStyle.Prefix, 1350, 256)]      // official ML-100K: 256 windows of 200
    [InlineData(0, 128, 200, TrainingStyle.AllPositions, 3417, 98)]  // causal ML-1M: logits bound it
    [InlineData(0, 128, 100, TrainingStyle.AllPositions, 501, 128)]  // the synthetic default: one pass
    [InlineData(64, 2048, 200, TrainingStyle.Prefix, 1350, 64)]      // asked for
    [InlineData(4096, 2048, 200, TrainingStyle.Prefix, 1350, 2048)]  // never more than the batch
    [InlineData(0, 8, 1_000_000, TrainingStyle.AllPositions, 1_000_000, 1)]
    public void Automatic_rows_stay_within_the_budgets(int requested, int batch, int window, TrainingStyle style, int items, int expected) =>
        Assert.Equal(expected, MicroBatching.Rows(requested, batch, window, style, items));
}
