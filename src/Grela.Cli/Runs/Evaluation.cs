using Grela.Models;
using Grela.Training;
using TorchSharp;

namespace Grela.Cli.Runs;

/// <summary>Runs an evaluator the safe way: eval mode, no gradients.</summary>
internal static class Evaluation
{
    public static IReadOnlyDictionary<string, double> Run(ISequentialModel model, IRankingEvaluator evaluator)
    {
        model.Module.eval();
        using var noGrad = torch.no_grad();
        return evaluator.Evaluate(model);
    }
}
