namespace Grela.Data;

/// <summary>What preprocessing did to a file: sizes before, rows dropped by each step, filter rounds.</summary>
/// <param name="RawUsers">Distinct users in the file.</param>
/// <param name="RawItems">Distinct items in the file.</param>
/// <param name="RawInteractions">Rows in the file.</param>
/// <param name="DroppedByRating">Rows under the rating threshold.</param>
/// <param name="DroppedDuplicates">Repeated user-item rows removed by deduplication.</param>
/// <param name="DroppedByFilter">Rows removed by the user/item minimums.</param>
/// <param name="FilterRounds">Rounds of the minimum-count filter that removed something (0 when the input already satisfied it).</param>
public sealed record PreprocessReport(
    int RawUsers,
    int RawItems,
    long RawInteractions,
    long DroppedByRating,
    long DroppedDuplicates,
    long DroppedByFilter,
    int FilterRounds);
