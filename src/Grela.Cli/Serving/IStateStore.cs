namespace Grela.Cli.Serving;

/// <summary>What the store keeps for one user besides the history: the event count and the model state with its tag.</summary>
internal sealed record StoredUser(string User, long Events, byte[]? State, string? StateTag);

/// <summary>
/// Where `grela serve` keeps users durably: every user's history (original item ids, oldest first)
/// and the model state after it, tagged with the run that wrote it. Each write is one transaction
/// and completes only once it is durable, so an acknowledged event survives a crash. The server
/// holds a per-user lock around every call for one user; the store may be called for different
/// users at once. SQLite (<see cref="SqliteStateStore"/>) is the embedded default; a shared
/// database would implement the same calls to let several servers share users.
/// </summary>
internal interface IStateStore : IDisposable
{
    /// <summary>The user's record, or null for a user never seen (or deleted).</summary>
    StoredUser? Find(string user);

    /// <summary>The user's newest <paramref name="last"/> items (all when null), oldest first.</summary>
    IReadOnlyList<string> History(string user, int? last = null);

    /// <summary>
    /// Appends <paramref name="items"/> after the user's <paramref name="eventsBefore"/> stored events
    /// and replaces the state, atomically; the task completes once the write is durable. An empty
    /// list only replaces the state.
    /// </summary>
    Task AppendAsync(string user, long eventsBefore, IReadOnlyList<string> items, byte[]? state, string stateTag);

    /// <summary>Removes the user and their history; false when there was none.</summary>
    bool Delete(string user);

    /// <summary>How many users are stored.</summary>
    long CountUsers();
}
