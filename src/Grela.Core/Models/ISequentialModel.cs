using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models;

/// <summary>Which side of a fixed-length window the padding (item id 0) sits on.</summary>
public enum PaddingSide { Left, Right }

/// <summary>
/// How a model is trained. <see cref="Prefix"/>: one sample per history prefix, predicting its next
/// item (the official RecBole protocol). <see cref="AllPositions"/>: whole sequences with a target
/// at every position (causal models, SASRec style).
/// </summary>
public enum TrainingStyle { Prefix, AllPositions }

/// <summary>
/// The contract every built Grela recommender answers (RecBole's calculate_loss / full_sort_predict).
/// Item id 0 is padding. Shapes: B batch, L window length, N item ids including padding.
/// </summary>
public interface ISequentialModel : IDisposable
{
    /// <summary>Padding side the model expects for its input windows.</summary>
    PaddingSide Padding { get; }

    /// <summary>
    /// The training styles <see cref="Loss"/> accepts (a capability, not a choice): which one a run
    /// trains with is decided once, by the run's model registry entry, among these.
    /// </summary>
    IReadOnlyList<TrainingStyle> TrainingStyles { get; }

    /// <summary>The underlying TorchSharp module (parameters, train/eval, state_dict).</summary>
    nn.Module Module { get; }

    /// <summary>
    /// True when <see cref="FullSortScores"/> of a right-padded window does not change if padding
    /// columns after the longest row are dropped (causal encoders, or a model that re-pads itself),
    /// so evaluation may skip their work. False unless a model says so.
    /// </summary>
    bool IgnoresTrailingPadding => false;

    /// <summary>
    /// Scores of every item id for the next item after each row. items [B, L] (int64), lengths [B]
    /// (int64, number of real items) -> [B, N]. Column 0 (padding) is included; callers mask it.
    /// </summary>
    Tensor FullSortScores(Tensor items, Tensor lengths);

    /// <summary>
    /// Mean cross-entropy over all items. For <see cref="TrainingStyle.Prefix"/>, targets is [B]; for
    /// <see cref="TrainingStyle.AllPositions"/>, targets is [B, L] with 0 where there is no target.
    /// </summary>
    Tensor Loss(Tensor items, Tensor lengths, Tensor targets, TrainingStyle style);
}
