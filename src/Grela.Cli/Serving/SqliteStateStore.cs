using Microsoft.Data.Sqlite;

namespace Grela.Cli.Serving;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed
/// transaction is on disk before the call returns (an acknowledged event survives kill -9 and
/// power loss). SQLite allows one writer at a time anyway, so one connection behind a lock is all
/// the concurrency there is to have; commands are prepared once.
/// </summary>
internal sealed class SqliteStateStore : IStateStore
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private SqliteStateStore(SqliteConnection connection) => _connection = connection;

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

    public void Append(string user, long eventsBefore, IReadOnlyList<string> items, byte[]? state, string stateTag)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var insert = _connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO events (user, seq, item) VALUES ($user, $seq, $item)";
                var pUser = insert.Parameters.Add("$user", SqliteType.Text);
                var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
                var pItem = insert.Parameters.Add("$item", SqliteType.Text);
                insert.Prepare();
                pUser.Value = user;
                for (var i = 0; i < items.Count; i++)
                {
                    pSeq.Value = eventsBefore + i;
                    pItem.Value = items[i];
                    insert.ExecuteNonQuery();
                }
            }
            using (var upsert = _connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = """
                    INSERT INTO users (user, events, state, state_tag) VALUES ($user, $events, $state, $tag)
                    ON CONFLICT (user) DO UPDATE SET events = excluded.events, state = excluded.state, state_tag = excluded.state_tag
                    """;
                upsert.Parameters.AddWithValue("$user", user);
                upsert.Parameters.AddWithValue("$events", eventsBefore + items.Count);
                upsert.Parameters.Add("$state", SqliteType.Blob).Value = (object?)state ?? DBNull.Value;
                upsert.Parameters.AddWithValue("$tag", stateTag);
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

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
