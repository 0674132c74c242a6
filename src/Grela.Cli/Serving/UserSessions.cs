using System.Collections.Concurrent;
using Grela.Cli.Runs;

namespace Grela.Cli.Serving;

/// <summary>
/// The users a server holds in memory, each behind its own lock: requests for one user run one at a
/// time and in arrival order of the lock, different users in parallel. A user is read from the store
/// on first use; a stored state written by another run (its tag differs) or that does not decode is
/// rebuilt from the history and written back. Every change is made durable first and swapped into
/// memory after, so memory never runs ahead of the store; that is what lets memory be bounded: past
/// <paramref name="maxResident"/> users the least recently used idle ones are dropped (down to 90%
/// of the bound) and read back from the store when they return.
/// </summary>
internal sealed class UserSessions(IUserModel model, IStateStore store, ItemVocabulary vocabulary, string stateTag, int maxResident = UserSessions.DefaultMaxResident) : IDisposable
{
    /// <summary>Users held in memory by default (a causal RecGRELA state of width 64 is about 20 KB).</summary>
    public const int DefaultMaxResident = 100_000;

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private long _clock;
    private long _evictions;
    private int _evicting;

    private sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public bool Loaded;
        public bool Evicted;
        public long LastUse;
        public UserState? State;
    }

    /// <summary>Users held in memory now.</summary>
    public int Resident => _slots.Count;

    /// <summary>Users dropped from memory so far to stay within the bound.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Appends events (original ids, already validated) and answers the top-K after them.</summary>
    public Task<Recommendations> Append(string user, IReadOnlyList<string> items, IReadOnlyList<long> ids, int k) => With(user, async slot =>
    {
        var before = slot.State;
        // The tensor work runs here, synchronously, before the first await: dispose scopes and
        // no_grad are per thread.
        var after = model.Fold(before, ids);
        try
        {
            var top = model.Top(after, k);
            await store.AppendAsync(user, before?.Events ?? 0, items, model.Encode(after), stateTag).ConfigureAwait(false);
            slot.State = after;
            before?.Dispose();
            return top;
        }
        catch
        {
            after.Dispose();
            throw;
        }
    });

    /// <summary>The top-K of a stored user, or null for an unknown one.</summary>
    public Task<Recommendations?> Recommend(string user, int k) =>
        With(user, slot => Task.FromResult(slot.State is { } state ? model.Top(state, k) : null));

    /// <summary>The stored history of a user, or null for an unknown one.</summary>
    public Task<IReadOnlyList<string>?> History(string user) =>
        With(user, slot => Task.FromResult(slot.State is null ? null : store.History(user)));

    /// <summary>Forgets a user; false when there was none.</summary>
    public Task<bool> Delete(string user) => With(user, slot =>
    {
        var removed = store.Delete(user);
        slot.State?.Dispose();
        slot.State = null;
        return Task.FromResult(removed);
    });

    private async Task<T> With<T>(string user, Func<Slot, Task<T>> body)
    {
        try
        {
            while (true)
            {
                var slot = _slots.GetOrAdd(user, _ => new Slot());
                await slot.Gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    // Dropped while this request waited for it: take the user's new slot.
                    if (slot.Evicted) continue;
                    slot.LastUse = Interlocked.Increment(ref _clock);
                    if (!slot.Loaded)
                    {
                        slot.State = await Load(user).ConfigureAwait(false);
                        slot.Loaded = true;
                    }
                    return await body(slot).ConfigureAwait(false);
                }
                finally
                {
                    slot.Gate.Release();
                }
            }
        }
        finally
        {
            EvictIfOver();
        }
    }

    /// <summary>
    /// Past the bound, drops the least recently used users that no request holds, down to 90% of it
    /// (so the sort is paid once per tenth of the bound). One caller evicts at a time; a user being
    /// served is skipped, never waited for.
    /// </summary>
    private void EvictIfOver()
    {
        if (_slots.Count <= maxResident || Interlocked.Exchange(ref _evicting, 1) == 1)
            return;
        try
        {
            var target = maxResident - maxResident / 10;
            foreach (var (user, slot) in _slots.ToArray().OrderBy(p => Interlocked.Read(ref p.Value.LastUse)))
            {
                if (_slots.Count <= target) break;
                if (!slot.Gate.Wait(0)) continue;
                try
                {
                    slot.Evicted = true;
                    _slots.TryRemove(new KeyValuePair<string, Slot>(user, slot));
                    slot.State?.Dispose();
                    slot.State = null;
                    Interlocked.Increment(ref _evictions);
                }
                finally
                {
                    slot.Gate.Release();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    private async Task<UserState?> Load(string user)
    {
        if (store.Find(user) is not { } stored)
            return null;
        if (stored.State is { } bytes && stored.StateTag == stateTag && model.Decode(bytes, stored.Events) is { } decoded)
            return decoded;
        // Written by another model or run (or by a windowed model, which stores no state): replay the
        // history. Items the current run does not know are skipped: they have no embedding here.
        var ids = store.History(user, model.ReplayWindow).Select(vocabulary.Find).OfType<long>().ToList();
        if (ids.Count == 0)
            return new UserState(stored.Events, [], null);
        var replayed = model.Fold(null, ids) with { Events = stored.Events };
        try
        {
            await store.AppendAsync(user, stored.Events, [], model.Encode(replayed), stateTag).ConfigureAwait(false);
        }
        catch
        {
            replayed.Dispose();
            throw;
        }
        return replayed;
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
            slot.State?.Dispose();
    }
}
