using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.RecGrela;

/// <summary>
/// A built RecGRELA as an <see cref="ISequentialModel"/>. Windows are right-padded. Global mode
/// trains one prefix per sample and pads every window to exactly MaxLength (the official window);
/// causal mode can train on all positions in one pass or on prefixes (which one a run uses is the run's choice).
/// </summary>
public sealed class RecGrelaRecommender(RecGrelaModel.Module module) : ISequentialModel
{
    /// <summary>RecGRELA's model name (config key <c>model</c>); the baselines' are <see cref="Baselines.BaselineModels.Names"/>.</summary>
    public const string ModelName = "recgrela";

    static readonly TrainingStyle[] GlobalStyles = [TrainingStyle.Prefix];
    static readonly TrainingStyle[] CausalStyles = [TrainingStyle.AllPositions, TrainingStyle.Prefix];

    /// <summary>Builds the model of <paramref name="spec"/> (validated, initialised) and wraps it.</summary>
    public static RecGrelaRecommender Create(RecGrelaModel spec, Device? device = null) => new(spec.Build(device));

    /// <summary>The hyperparameters.</summary>
    public RecGrelaModel Spec => module.Spec;

    /// <summary>The built network (sublayers as fields).</summary>
    public RecGrelaModel.Module Network => module;

    /// <inheritdoc/>
    public PaddingSide Padding => PaddingSide.Right;

    /// <inheritdoc/>
    public IReadOnlyList<TrainingStyle> TrainingStyles => Spec.Mode == AttentionMode.Global ? GlobalStyles : CausalStyles;

    /// <inheritdoc/>
    public nn.Module Module => module;

    /// <inheritdoc/>
    /// <remarks>Causal mode never looks right of a position; global mode pads every window back to MaxLength.</remarks>
    public bool IgnoresTrailingPadding => true;

    /// <summary>Hidden states at every position, items [B, L] -> [B, L', Dim] (L' = MaxLength in global mode).</summary>
    public Tensor HiddenStates(Tensor items) => module.forward(Window(items));

    /// <summary>
    /// The hidden state at the last real position of each row: [B, Dim] (an empty row reads position 0).
    /// Only the read positions go through the last block's gate, projections and MLP.
    /// </summary>
    public Tensor LastHidden(Tensor items, Tensor lengths) => module.ForwardAt(Window(items), Readout.LastPositions(lengths));

    /// <summary>Full-sort scores h . E^T for hidden states [..., Dim] -> [..., N].</summary>
    public Tensor Scores(Tensor hidden) => hidden.matmul(module.ItemEmbedding.weight!.t());

    /// <inheritdoc/>
    public Tensor FullSortScores(Tensor items, Tensor lengths)
    {
        using var scope = torch.NewDisposeScope();
        return Scores(LastHidden(items, lengths)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Loss(Tensor items, Tensor lengths, Tensor targets, TrainingStyle style)
    {
        using var scope = torch.NewDisposeScope();
        if (style == TrainingStyle.Prefix)
            return cross_entropy(FullSortScores(items, lengths), targets).MoveToOuterDisposeScope();
        if (Spec.Mode == AttentionMode.Global)
            throw new ArgumentException("RecGRELA in global mode sees the whole window at every position, so it can only be trained on prefixes (TrainingStyle.Prefix); use AttentionMode.Causal for all-position training.", nameof(style));
        var hidden = HiddenStates(items);
        var flatTargets = targets.reshape(-1);
        var positions = flatTargets.ne(0).nonzero().squeeze(-1);
        var selected = hidden.reshape(-1, hidden.shape[2]).index_select(0, positions);
        return cross_entropy(Scores(selected), flatTargets.index_select(0, positions)).MoveToOuterDisposeScope();
    }

    /// <summary>Global mode sees exactly MaxLength positions: shorter windows are right-padded, longer ones are an error.</summary>
    Tensor Window(Tensor items)
    {
        if (Spec.Mode == AttentionMode.Causal) return items;
        var length = items.shape[1];
        if (length == Spec.MaxLength) return items;
        if (length > Spec.MaxLength)
            throw new ArgumentException($"RecGRELA (global mode) takes windows of at most MaxLength = {Spec.MaxLength} items, got {length}.", nameof(items));
        return nn.functional.pad(items, [0, Spec.MaxLength - length]);
    }

    /// <inheritdoc/>
    public void Dispose() => module.Dispose();
}
