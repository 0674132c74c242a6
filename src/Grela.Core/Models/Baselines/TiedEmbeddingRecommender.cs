using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.Baselines;

/// <summary>
/// The <see cref="ISequentialModel"/> of a causal encoder that maps right-padded windows [B, L] to
/// hidden states [B, L, D] whose scores are dot products with the item embedding table [N, D]
/// (RecBole's tied full-sort scores, cross-entropy over all items). Because the encoder is causal,
/// one pass trains every position (<see cref="TrainingStyle.AllPositions"/>) as well as prefixes.
/// </summary>
public sealed class TiedEmbeddingRecommender : ISequentialModel
{
    private readonly nn.Module<Tensor, Tensor> encoder;
    private readonly Func<Tensor> itemTable;

    /// <param name="encoder">items [B, L] -> hidden [B, L, D], causal.</param>
    /// <param name="itemTable">The item embedding weight [N, D] of <paramref name="encoder"/>.</param>
    public TiedEmbeddingRecommender(nn.Module<Tensor, Tensor> encoder, Func<Tensor> itemTable)
    {
        this.encoder = encoder;
        this.itemTable = itemTable;
    }

    /// <inheritdoc/>
    public PaddingSide Padding => PaddingSide.Right;

    /// <inheritdoc/>
    public IReadOnlyList<TrainingStyle> TrainingStyles { get; } = [TrainingStyle.AllPositions, TrainingStyle.Prefix];

    /// <inheritdoc/>
    public nn.Module Module => encoder;

    /// <summary>Hidden state at the last real position of each row, [B, D] (position 0 for empty rows).</summary>
    public Tensor LastHidden(Tensor items, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        return Readout.At(encoder.forward(items), Readout.LastPositions(lengths)).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor FullSortScores(Tensor items, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        return matmul(LastHidden(items, lengths), itemTable().t()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public Tensor Loss(Tensor items, Tensor lengths, Tensor targets, TrainingStyle style)
    {
        ExpectTargets(items, targets, style);
        using var scope = NewDisposeScope();
        if (style == TrainingStyle.Prefix)
            return cross_entropy(FullSortScores(items, lengths), targets).MoveToOuterDisposeScope();

        // Score only the positions that have a target: [M, D] x [D, N] instead of [B, L, N].
        var hidden = encoder.forward(items);
        var has = targets.ne(0);
        var selected = hidden[has];
        return cross_entropy(matmul(selected, itemTable().t()), targets[has]).MoveToOuterDisposeScope();
    }

    private static void ExpectTargets(Tensor items, Tensor targets, TrainingStyle style)
    {
        var expected = style == TrainingStyle.Prefix ? new[] { items.shape[0] } : items.shape;
        if (!targets.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{style} training expects targets [{string.Join(", ", expected)}] for items [{string.Join(", ", items.shape)}], got [{string.Join(", ", targets.shape)}]",
                nameof(targets));
    }

    /// <inheritdoc/>
    public void Dispose() => encoder.Dispose();
}
