using Grela.Data.Formats;

namespace Grela.Data;

/// <summary>
/// How an interaction file becomes a dataset. Filtering follows RecBole: the user and item minimums
/// are the interval <c>[min, inf)</c> on interaction counts (<c>user_inter_num_interval</c>,
/// <c>item_inter_num_interval</c>), applied to users and items at once and repeated until nothing
/// changes (a fixed point, i.e. an iterative k-core); 0 turns a filter off.
/// </summary>
/// <param name="Format">The file layout; null detects it.</param>
/// <param name="MinUserInteractions">Keep users with at least this many interactions (default 5).</param>
/// <param name="MinItemInteractions">Keep items with at least this many interactions (default 5).</param>
/// <param name="MinRating">Keep only rows rated at least this (RecBole <c>val_interval</c>); null keeps all (implicit feedback).</param>
/// <param name="Deduplicate">Keep only the first (oldest) interaction of each user-item pair.</param>
public sealed record DataOptions(
    InteractionFormat? Format = null,
    int MinUserInteractions = 5,
    int MinItemInteractions = 5,
    double? MinRating = null,
    bool Deduplicate = false)
{
    /// <summary>The protocol of the paper: implicit feedback, <c>[5, inf)</c> for users and items, repeats kept.</summary>
    public static DataOptions Default { get; } = new();

    /// <summary>No filtering at all: the file as it is.</summary>
    public static DataOptions Unfiltered { get; } = new(MinUserInteractions: 0, MinItemInteractions: 0);
}
