using System.Collections.Immutable;
using Grela.Models.RecGrela;

namespace Grela.Cli.Serving;

/// <summary>
/// What the server holds for one user between requests: how many events they sent, the newest
/// items a windowed model reads (empty for streaming), and for causal RecGRELA the streaming state:
/// tensors (<see cref="Stream"/>) where the torch step serves, arrays (<see cref="Managed"/>) where
/// the managed CPU engine does. A value: a request computes a new state and swaps it in only after
/// the store has made it durable.
/// </summary>
internal sealed record UserState(long Events, ImmutableArray<long> Recent, RecGrelaStreamState? Stream, ManagedStreamState? Managed = null) : IDisposable
{
    public void Dispose() => Stream?.Dispose();
}
