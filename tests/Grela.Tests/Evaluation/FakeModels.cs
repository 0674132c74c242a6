using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Evaluation;

/// <summary>
/// A model that scores item (last item + 1) highest and every other item by a fixed tie-free ramp;
/// records whether it was called in training mode or with gradients on.
/// </summary>
internal sealed class NextIdModel(int itemIds, PaddingSide padding) : ISequentialModel
{
    private readonly nn.Module _module = nn.Linear(1, 1);

    public bool SawTrainingMode { get; private set; }
    public bool SawGradients { get; private set; }
    public PaddingSide Padding => padding;
    public IReadOnlyList<TrainingStyle> TrainingStyles => [TrainingStyle.Prefix];
    public nn.Module Module => _module;

    public Tensor FullSortScores(Tensor items, Tensor lengths)
    {
        SawTrainingMode |= _module.training;
        SawGradients |= torch.is_grad_enabled();
        var lastIndex = padding == PaddingSide.Right ? lengths - 1 : torch.full_like(lengths, items.shape[1] - 1);
        var last = items.gather(1, lastIndex.unsqueeze(1)).squeeze(1);
        var ramp = torch.arange(itemIds, dtype: ScalarType.Float32).neg().unsqueeze(0).expand(items.shape[0], itemIds) / itemIds;
        var bonus = torch.nn.functional.one_hot((last + 1).clamp_max(itemIds - 1), itemIds).to(ScalarType.Float32) * 10;
        return ramp + bonus;
    }

    public Tensor Loss(Tensor items, Tensor lengths, Tensor targets, TrainingStyle style) => throw new NotSupportedException("evaluation-only test double");

    public void Dispose() => _module.Dispose();
}
