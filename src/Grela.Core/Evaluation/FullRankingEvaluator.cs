using Grela.Data;
using Grela.Data.Batching;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Evaluation;

/// <summary>
/// Full-ranking leave-one-out evaluation: every item id is a candidate except padding (and, when
/// asked, the user's earlier items); users are scored in batches so memory stays at
/// BatchSize x items; ranks follow <see cref="TargetRanks"/> and metrics <see cref="RankingMetrics"/>.
/// </summary>
public static class FullRankingEvaluator
{
    /// <summary>Evaluates a model under <c>no_grad</c> and <c>eval()</c>, restoring its training mode afterwards.</summary>
    public static MetricReport Evaluate(ISequentialModel model, LeaveOneOutSplit split, EvaluationStage stage,
        EvaluationOptions? options = null, Device? device = null)
    {
        options ??= new EvaluationOptions();
        return RankingMetrics.Summarize(Ranks(model, split, stage, options, device), options.Ks);
    }

    /// <summary>The target rank of every evaluated user, in user order (see <see cref="EvaluationBatches"/>).</summary>
    public static long[] Ranks(ISequentialModel model, LeaveOneOutSplit split, EvaluationStage stage,
        EvaluationOptions? options = null, Device? device = null)
    {
        var module = model.Module;
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = torch.no_grad();
            return Ranks(model.FullSortScores, model.Padding, split, stage, options ?? new EvaluationOptions(), device,
                trimTrailingPadding: model.Padding == PaddingSide.Right && model.IgnoresTrailingPadding);
        }
        finally
        {
            if (wasTraining) module.train();
        }
    }

    /// <summary>
    /// Ranks from any scorer (items [B, L], lengths [B]) -> scores [B, N], N = item ids incl. padding,
    /// in user order. The caller is responsible for no_grad and eval mode. With
    /// <paramref name="trimTrailingPadding"/> (right padding only) each batch is cut after its longest
    /// window, for scorers whose result does not depend on trailing padding.
    /// </summary>
    public static long[] Ranks(Func<Tensor, Tensor, Tensor> scorer, PaddingSide padding, LeaveOneOutSplit split,
        EvaluationStage stage, EvaluationOptions options, Device? device = null, bool trimTrailingPadding = false)
    {
        if (trimTrailingPadding && padding != PaddingSide.Right)
            throw new ArgumentException("only right padding is trailing padding", nameof(trimTrailingPadding));
        var batches = new EvaluationBatches(split, stage, padding, options.BatchSize);
        var batch = batches.CreateBatch();
        var itemIds = split.Dataset.ItemIdCount;
        var mask = options.MaskHistory ? new bool[options.BatchSize * itemIds] : null;
        var ranks = new long[batches.UserCount];
        while (batches.TryNext(batch))
        {
            using var scope = torch.NewDisposeScope();
            var items = batch.ItemsTensor(device);
            if (trimTrailingPadding)
                items = items.narrow(1, 0, batch.UsedWidth()).contiguous();
            var scores = scorer(items, batch.LengthsTensor(device));
            if (scores.shape.Length != 2 || scores.shape[0] != batch.Rows || scores.shape[1] != itemIds)
                throw new InvalidOperationException($"the scorer returned shape [{string.Join(", ", scores.shape)}]; expected [{batch.Rows}, {itemIds}] (B, item ids incl. padding)");
            var excluded = mask is null ? null : HistoryMask(batches, batch, mask, itemIds, device);
            var rowRanks = TargetRanks.Compute(scores, batch.TargetsTensor(device), excluded).cpu().data<long>().ToArray();
            for (var row = 0; row < batch.Rows; row++)
                ranks[batches.Slot(batch.Users[row])] = rowRanks[row];
        }
        return ranks;
    }


    private static Tensor HistoryMask(EvaluationBatches batches, SequenceBatch batch, bool[] mask, int itemIds, Device? device)
    {
        Array.Clear(mask);
        for (var row = 0; row < batch.Rows; row++)
            foreach (var item in batches.FullHistory(batch.Users[row]))
                mask[row * itemIds + item] = true;
        return torch.tensor(mask.AsSpan(0, batch.Rows * itemIds).ToArray(), [batch.Rows, itemIds], device: device);
    }
}
