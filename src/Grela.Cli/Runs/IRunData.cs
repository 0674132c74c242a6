using System.Collections.Immutable;
using Grela.Models;
using Grela.Runs;
using Grela.Training;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>Which held-out item an evaluation ranks: the second-to-last (validation) or the last (test).</summary>
internal enum HeldOut { Valid, Test }

/// <summary>
/// A loaded, split dataset as a run needs it: its summary and vocabulary, training batches in the
/// model's layout, full-ranking evaluators for validation and test, and the popularity baseline.
/// </summary>
internal interface IRunData
{
    DatasetInfo Summary { get; }
    /// <summary>Original item ids by internal id (index 0 is padding).</summary>
    ImmutableArray<string> ItemTokens { get; }
    /// <summary>Number of item ids including padding (the model's N).</summary>
    int ItemCount { get; }
    ITrainingBatches TrainBatches(TrainingConfig config, PaddingSide padding, TrainingStyle style);
    IRankingEvaluator Evaluator(HeldOut split, Device device);
    IReadOnlyDictionary<string, double> PopularityTest();
}
