using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// What a block's attention hands the next block's <see cref="SummarySlots"/>: its key features and
/// values [B, L, Dim] (before rotation) and the mask [B, L].
/// </summary>
public sealed record SummarySource(Tensor Keys, Tensor Values, Tensor Mask);
