using Grela.Cli.Runs;

namespace Grela.Cli.Serving;

/// <summary>
/// How a served model turns a user's events into recommendations. Two kinds: causal RecGRELA folds
/// each event into a constant-size streaming state (<see cref="StreamingUserModel"/>); every other
/// model reads the newest window of the history again (<see cref="WindowUserModel"/>).
/// </summary>
internal interface IUserModel
{
    /// <summary>"streaming" or "window": what /v1/model reports and the docs name.</summary>
    string StateKind { get; }

    /// <summary>The state after <paramref name="items"/> (internal ids) follow <paramref name="state"/> (null: a new user). The old state is left intact.</summary>
    UserState Fold(UserState? state, IReadOnlyList<long> items);

    /// <summary>The best <paramref name="k"/> next items for a state.</summary>
    Recommendations Top(UserState state, int k);

    /// <summary>The bytes to store for a state, or null when the history alone is the state.</summary>
    byte[]? Encode(UserState state);

    /// <summary>A stored state back, or null when the bytes do not fit this model (then the history is replayed).</summary>
    UserState? Decode(byte[] bytes, long events);

    /// <summary>How many of the newest events a replay needs (null: all of them).</summary>
    int? ReplayWindow { get; }
}
