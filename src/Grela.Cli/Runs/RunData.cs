using System.Collections.Immutable;
using Grela.Data;
using Grela.Data.Batching;
using Grela.Evaluation;
using Grela.Models;
using Grela.Runs;
using Grela.Training;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>
/// <see cref="IRunData"/> over the data layer: the dataset loaded and preprocessed by
/// <see cref="DatasetLoader"/> (RecBole protocol), split leave-one-out with the config's window.
/// </summary>
internal sealed class RunData : IRunData
{
    /// <summary>Users scored at once during evaluation (bounds memory at this many x items scores).</summary>
    private const int EvaluationBatchSize = 256;

    private readonly LeaveOneOutSplit _split;

    private RunData(LeaveOneOutSplit split)
    {
        _split = split;
        var dataset = split.Dataset;
        Summary = new DatasetInfo(dataset.Name, dataset.UserCount, dataset.ItemCount, dataset.InteractionCount) { ContentHash = dataset.ContentHash() };
        ItemTokens = [IdMap.PaddingToken, .. dataset.Items.Tokens];
    }

    /// <summary>Loads the dataset the config names (null data: the built-in synthetic dataset).</summary>
    public static RunData Load(TrainingConfig config)
    {
        var dataset = DatasetLoader.Load(config.Data ?? DatasetLoader.DefaultSource, config.ToDataOptions());
        return new RunData(LeaveOneOutSplit.Create(dataset, config.MaxLen));
    }

    public DatasetInfo Summary { get; }
    public ImmutableArray<string> ItemTokens { get; }
    public int ItemCount => _split.Dataset.ItemIdCount;

    public ITrainingBatches TrainBatches(TrainingConfig config, PaddingSide padding, TrainingStyle style) =>
        new Batches(new TrainingBatches(_split, style, padding, config.BatchSize, unchecked((ulong)config.Seed),
            config.TrainingWindows, config.LengthBuckets, config.BatchTargets, config.WindowStride));

    public IRankingEvaluator Evaluator(HeldOut split, Device device) =>
        new Ranking(_split, split == HeldOut.Valid ? EvaluationStage.Validation : EvaluationStage.Test, device);

    public IReadOnlyDictionary<string, double> PopularityTest() =>
        PopularityBaseline.FromTraining(_split).Evaluate(_split, EvaluationStage.Test, new EvaluationOptions(BatchSize: EvaluationBatchSize)).ToDictionary();

    /// <summary>The data layer's seeded batches as the trainer's epoch/skip view.</summary>
    private sealed class Batches(TrainingBatches batches) : ITrainingBatches
    {
        public TrainingStyle Style => batches.Style;
        public int BatchesPerEpoch => checked((int)batches.BatchesPerEpoch);
        public long SamplesPerEpoch => batches.SamplesPerEpoch;
        public long TargetsPerEpoch => batches.TargetsPerEpoch;

        public IEnumerable<SequenceBatch> Epoch(int epoch, int skip)
        {
            batches.Seek(batches.CursorAt(epoch, skip));
            var batch = batches.CreateBatch();
            while (batches.TryNext(batch))
                yield return batch;
        }
    }

    private sealed class Ranking(LeaveOneOutSplit split, EvaluationStage stage, Device device) : IRankingEvaluator
    {
        public IReadOnlyDictionary<string, double> Evaluate(ISequentialModel model) =>
            FullRankingEvaluator.Evaluate(model, split, stage, new EvaluationOptions(BatchSize: EvaluationBatchSize), device).ToDictionary();
    }
}
