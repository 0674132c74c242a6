using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Grela.Cli.Serving;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed
/// transaction is on disk before its appends complete (an acknowledged event survives kill -9 and
/// power loss). SQLite allows one writer at a time, so one connection behind a lock is all the
/// concurrency there is to have. Appends are group-committed: a writer loop takes every append
/// waiting at that moment into one transaction, so concurrent users share one fsync (a few
/// milliseconds each on a virtual disk) instead of queueing for one each.
/// </summary>
internal sealed class SqliteStateStore : IStateStore
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private const int MaxGroup = 512;
    private readonly Lock _gate = new();
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    private sealed record PendingAppend(string User, long EventsBefore, IReadOnlyList<string> Items, byte[]? State, string StateTag)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private SqliteStateStore(SqliteConnection connection)
    {
        _connection = connection;
        _writer = Task.Run(WriteLoop);
    }

    public string Path { get; private init; } = "";

    /// <summary>Opens (or creates) the state file; a file of another schema is an error naming it.</summary>
    public static SqliteStateStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS users (user TEXT PRIMARY KEY, events INTEGER NOT NULL, state BLOB, state_tag TEXT) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS events (user TEXT NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, PRIMARY KEY (user, seq)) WITHOUT ROWID;
                INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1');
                """);
            using var check = connection.CreateCommand();
            check.CommandText = "SELECT value FROM meta WHERE key = 'schema'";
            var version = check.ExecuteScalar() as string;
            if (version != SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new Grela.Errors.UserInputException($"--state {path}: expected a grela serve state file of schema {SchemaVersion}, got schema {version ?? "none"}");
            return new SqliteStateStore(connection) { Path = full };
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new Grela.Errors.UserInputException($"--state {path}: cannot open it as a SQLite database ({e.Message})", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public StoredUser? Find(string user)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT events, state, state_tag FROM users WHERE user = $user";
            command.Parameters.AddWithValue("$user", user);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            return new StoredUser(user, reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1], reader.IsDBNull(2) ? null : reader.GetString(2));
        }
    }

    public IReadOnlyList<string> History(string user, int? last = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            // The newest `last` rows, read newest first and turned around.
            command.CommandText = last is null
                ? "SELECT item FROM events WHERE user = $user ORDER BY seq"
                : "SELECT item FROM events WHERE user = $user ORDER BY seq DESC LIMIT $last";
            command.Parameters.AddWithValue("$user", user);
            if (last is { } n) command.Parameters.AddWithValue("$last", n);
            var items = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read()) items.Add(reader.GetString(0));
            if (last is not null) items.Reverse();
            return items;
        }
    }

    public Task AppendAsync(string user, long eventsBefore, IReadOnlyList<string> items, byte[]? state, string stateTag)
    {
        var append = new PendingAppend(user, eventsBefore, items, state, stateTag);
        return _appends.Writer.TryWrite(append) ? append.Done.Task : Task.FromException(new ObjectDisposedException(nameof(SqliteStateStore)));
    }

    private async Task WriteLoop()
    {
        var group = new List<PendingAppend>(MaxGroup);
        while (await _appends.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _appends.Reader.TryRead(out var append))
                group.Add(append);
            try
            {
                Commit(group);
                foreach (var append in group) append.Done.SetResult();
            }
            catch when (group.Count > 1)
            {
                // One failing append must not fail the others it was grouped with: one at a time.
                foreach (var append in group)
                {
                    try
                    {
                        Commit([append]);
                        append.Done.SetResult();
                    }
                    catch (Exception e)
                    {
                        append.Done.SetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                group[0].Done.SetException(e);
            }
        }
    }

    private void Commit(IReadOnlyList<PendingAppend> group)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO events (user, seq, item) VALUES ($user, $seq, $item)";
            var pUser = insert.Parameters.Add("$user", SqliteType.Text);
            var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var pItem = insert.Parameters.Add("$item", SqliteType.Text);
            insert.Prepare();
            using var upsert = _connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO users (user, events, state, state_tag) VALUES ($user, $events, $state, $tag)
                ON CONFLICT (user) DO UPDATE SET events = excluded.events, state = excluded.state, state_tag = excluded.state_tag
                """;
            var uUser = upsert.Parameters.Add("$user", SqliteType.Text);
            var uEvents = upsert.Parameters.Add("$events", SqliteType.Integer);
            var uState = upsert.Parameters.Add("$state", SqliteType.Blob);
            var uTag = upsert.Parameters.Add("$tag", SqliteType.Text);
            upsert.Prepare();
            foreach (var append in group)
            {
                pUser.Value = append.User;
                for (var i = 0; i < append.Items.Count; i++)
                {
                    pSeq.Value = append.EventsBefore + i;
                    pItem.Value = append.Items[i];
                    insert.ExecuteNonQuery();
                }
                uUser.Value = append.User;
                uEvents.Value = append.EventsBefore + append.Items.Count;
                uState.Value = (object?)append.State ?? DBNull.Value;
                uTag.Value = append.StateTag;
                upsert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    public bool Delete(string user)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM events WHERE user = $user; DELETE FROM users WHERE user = $user";
            command.Parameters.AddWithValue("$user", user);
            var removed = command.ExecuteNonQuery() > 0;
            transaction.Commit();
            return removed;
        }
    }

    public long CountUsers()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM users";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>Finishes the appends already queued, then closes the file.</summary>
    public void Dispose()
    {
        _appends.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        lock (_gate) _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
