using Grela.Models;
using Grela.Training;
using TorchSharp;

namespace Grela.Cli.Parallel;

/// <summary>
/// Validation with every thread: while the workers of a data-parallel run wait for the next step,
/// the trainer's process evaluates alone, so it takes all threads there and its share again after.
/// </summary>
internal sealed class ThreadsDuring(IRankingEvaluator inner, int threads) : IRankingEvaluator
{
    public IReadOnlyDictionary<string, double> Evaluate(ISequentialModel model)
    {
        var before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            return inner.Evaluate(model);
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }
}
