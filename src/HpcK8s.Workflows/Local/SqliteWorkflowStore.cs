using System.Globalization;
using HpcK8s.Workflows.History;
using Microsoft.Data.Sqlite;

namespace HpcK8s.Workflows.Local;

/// <summary>
/// The local engine's durable state in one SQLite file: instances, their append-only histories, and an inbox of
/// events not yet processed (timers are inbox rows that become visible at their fire time).
/// </summary>
/// <remarks>
/// The engine writes each batch of turns in one transaction, so a crash at any instant leaves either the whole
/// batch or none of it. Other processes (e.g. <c>hpck8s suspend</c>) only insert inbox rows and read state;
/// WAL mode lets them do that while the engine runs.
/// <para>A history row holds one event, or a JSON array of up to 64 consecutive events of one turn starting at its
/// <c>seq</c>; readers accept both, so files written one event per row still load.</para>
/// <para>Activities scheduled and not completed are not stored apart: they are the TaskScheduled events of history
/// without a TaskCompleted or TaskFailed (a completion is committed with its instance's turn). The <c>activities</c>
/// table that engines before that kept is still created, so older files open, and emptied on start.</para>
/// </remarks>
internal sealed class SqliteWorkflowStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -32768;
        CREATE TABLE IF NOT EXISTS instances(
            id TEXT PRIMARY KEY, name TEXT NOT NULL, status INTEGER NOT NULL, input TEXT, output TEXT, failure TEXT,
            custom_status TEXT, parent_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS instances_parent ON instances(parent_id);
        CREATE TABLE IF NOT EXISTS history(
            instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY(instance_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS inbox(
            id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, event TEXT NOT NULL, visible_at TEXT);
        CREATE TABLE IF NOT EXISTS activities(
            instance_id TEXT NOT NULL, task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT, task_execution_id TEXT,
            PRIMARY KEY(instance_id, task_id)) WITHOUT ROWID;
        """;

    // Events per history row at most; a shard's scheduling or completion event is a few hundred bytes of JSON.
    private const int EventsPerRow = 64;

    private readonly SqliteConnection _connection;

    public SqliteWorkflowStore(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout = 30000;");
        Execute(Schema);
    }

    public string Path { get; }

    public void Dispose() => _connection.Dispose();

    // ---- reads ---------------------------------------------------------------------------------------------

    public WorkflowInstanceState? GetInstance(string instanceId)
    {
        using var command = Command("SELECT id, name, status, input, output, failure, custom_status, parent_id, created_at, updated_at FROM instances WHERE id = $id");
        command.Parameters.AddWithValue("$id", instanceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadInstance(reader) : null;
    }

    public List<WorkflowInstanceState> ListInstances(string? parentId = null, bool onlyActive = false)
    {
        var where = new List<string>();
        if (parentId is not null)
        {
            where.Add("parent_id = $parent");
        }

        if (onlyActive)
        {
            where.Add($"status NOT IN ({(int)OrchestrationStatus.Completed}, {(int)OrchestrationStatus.Failed}, {(int)OrchestrationStatus.Terminated}, {(int)OrchestrationStatus.Canceled})");
        }

        var sql = "SELECT id, name, status, input, output, failure, custom_status, parent_id, created_at, updated_at FROM instances"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY created_at, id";
        using var command = Command(sql);
        if (parentId is not null)
        {
            command.Parameters.AddWithValue("$parent", parentId);
        }

        using var reader = command.ExecuteReader();
        var result = new List<WorkflowInstanceState>();
        while (reader.Read())
        {
            result.Add(ReadInstance(reader));
        }

        return result;
    }

    public List<HistoryEvent> LoadHistory(string instanceId)
    {
        using var command = Command("SELECT event FROM history WHERE instance_id = $id ORDER BY seq");
        command.Parameters.AddWithValue("$id", instanceId);
        using var reader = command.ExecuteReader();
        var result = new List<HistoryEvent>();
        while (reader.Read())
        {
            var json = reader.GetString(0);
            if (json.StartsWith('['))
            {
                result.AddRange(System.Text.Json.JsonSerializer.Deserialize<HistoryEvent[]>(json, WorkflowJson.Options) ?? throw new InvalidDataException("a history row holds null"));
            }
            else
            {
                result.Add(DeserializeEvent(json));
            }
        }

        return result;
    }

    public List<InboxRow> LoadInbox(long afterId)
    {
        using var command = Command("SELECT id, instance_id, event, visible_at FROM inbox WHERE id > $after ORDER BY id");
        command.Parameters.AddWithValue("$after", afterId);
        using var reader = command.ExecuteReader();
        var result = new List<InboxRow>();
        while (reader.Read())
        {
            var visibleAt = reader.IsDBNull(3) ? (DateTime?)null : ParseTime(reader.GetString(3));
            result.Add(new InboxRow(reader.GetInt64(0), reader.GetString(1), DeserializeEvent(reader.GetString(2)), visibleAt));
        }

        return result;
    }

    /// <summary>Empties the table in which older engines kept unfinished activities (history now tells).</summary>
    public void ClearActivities() => Execute("DELETE FROM activities");

    // ---- writes --------------------------------------------------------------------------------------------

    /// <summary>Writes one batch atomically; returns the ids given to the inserted inbox rows, in order.</summary>
    public List<long> Commit(StoreBatch batch)
    {
        using var transaction = _connection.BeginTransaction();
        using (var upsert = Command("""
            INSERT INTO instances(id, name, status, input, output, failure, custom_status, parent_id, created_at, updated_at)
            VALUES($id, $name, $status, $input, $output, $failure, $custom, $parent, $now, $now)
            ON CONFLICT(id) DO UPDATE SET status = $status, output = $output, failure = $failure, custom_status = $custom,
                input = COALESCE($input, input), updated_at = $now
            """, transaction))
        {
            foreach (var i in batch.Instances)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$id", i.InstanceId);
                upsert.Parameters.AddWithValue("$name", i.Name);
                upsert.Parameters.AddWithValue("$status", (int)i.Status);
                upsert.Parameters.AddWithValue("$input", (object?)i.Input ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$output", (object?)i.Output ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$failure", i.Failure is null ? DBNull.Value : WorkflowJson.Serialize(i.Failure)!);
                upsert.Parameters.AddWithValue("$custom", (object?)i.CustomStatus ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$parent", (object?)i.ParentInstanceId ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$now", FormatTime(i.UpdatedAt));
                upsert.ExecuteNonQuery();
            }
        }

        if (batch.ResetHistory.Count > 0)
        {
            using var reset = Command("DELETE FROM history WHERE instance_id = $id", transaction);
            var id = reset.Parameters.Add("$id", SqliteType.Text);
            foreach (var instanceId in batch.ResetHistory)
            {
                id.Value = instanceId;
                reset.ExecuteNonQuery();
            }
        }

        using (var append = Command("INSERT INTO history(instance_id, seq, event) VALUES($id, $seq, $event)", transaction))
        {
            var id = append.Parameters.Add("$id", SqliteType.Text);
            var seq = append.Parameters.Add("$seq", SqliteType.Integer);
            var data = append.Parameters.Add("$event", SqliteType.Text);
            // A run of consecutive events of one instance (a turn's) goes into one row, up to EventsPerRow: inserts per
            // shard drop from two to a fraction, while rows stay below the large-object heap's 85,000 bytes.
            var rows = batch.History;
            for (var start = 0; start < rows.Count;)
            {
                var end = start + 1;
                while (end < rows.Count && end - start < EventsPerRow && rows[end].InstanceId == rows[start].InstanceId
                    && rows[end].Sequence == rows[end - 1].Sequence + 1)
                {
                    end++;
                }

                id.Value = rows[start].InstanceId;
                seq.Value = rows[start].Sequence;
                data.Value = end - start == 1 ? SerializeEvent(rows[start].Event) : SerializeEvents(rows, start, end);
                append.ExecuteNonQuery();
                start = end;
            }
        }

        using (var delete = Command("DELETE FROM inbox WHERE id = $id", transaction))
        {
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            foreach (var inboxId in batch.ConsumedInbox)
            {
                id.Value = inboxId;
                delete.ExecuteNonQuery();
            }
        }

        var inserted = new List<long>(batch.Inbox.Count);
        using (var insert = Command("INSERT INTO inbox(instance_id, event, visible_at) VALUES($id, $event, $visible) RETURNING id", transaction))
        {
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var data = insert.Parameters.Add("$event", SqliteType.Text);
            var visible = insert.Parameters.Add("$visible", SqliteType.Text);
            foreach (var (instanceId, e, visibleAt) in batch.Inbox)
            {
                id.Value = instanceId;
                data.Value = SerializeEvent(e);
                visible.Value = visibleAt is { } at ? FormatTime(at) : DBNull.Value;
                inserted.Add((long)insert.ExecuteScalar()!);
            }
        }

        transaction.Commit();
        return inserted;
    }

    /// <summary>Inserts one inbox row outside the engine (a client command); returns its id.</summary>
    public long Enqueue(string instanceId, HistoryEvent e)
    {
        using var insert = Command("INSERT INTO inbox(instance_id, event, visible_at) VALUES($id, $event, NULL) RETURNING id");
        insert.Parameters.AddWithValue("$id", instanceId);
        insert.Parameters.AddWithValue("$event", SerializeEvent(e));
        return (long)insert.ExecuteScalar()!;
    }

    /// <summary>Deletes instances and everything they own.</summary>
    public void Purge(IEnumerable<string> instanceIds)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var table in new[] { ("instances", "id"), ("history", "instance_id"), ("inbox", "instance_id"), ("activities", "instance_id") })
        {
            using var delete = Command($"DELETE FROM {table.Item1} WHERE {table.Item2} = $id", transaction);
            var id = delete.Parameters.Add("$id", SqliteType.Text);
            foreach (var instanceId in instanceIds)
            {
                id.Value = instanceId;
                delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    internal static string FormatTime(DateTime time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string SerializeEvent(HistoryEvent e) => System.Text.Json.JsonSerializer.Serialize(e, WorkflowJson.Options);

    private static string SerializeEvents(List<(string InstanceId, int Sequence, HistoryEvent Event)> rows, int start, int end)
    {
        var events = new HistoryEvent[end - start];
        for (var i = start; i < end; i++)
        {
            events[i - start] = rows[i].Event;
        }

        return System.Text.Json.JsonSerializer.Serialize(events, WorkflowJson.Options);
    }

    private static HistoryEvent DeserializeEvent(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<HistoryEvent>(json, WorkflowJson.Options) ?? throw new InvalidDataException("a history row holds null");

    private static WorkflowInstanceState ReadInstance(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (OrchestrationStatus)reader.GetInt32(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : WorkflowJson.Deserialize<FailureDetails>(reader.GetString(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        ParseTime(reader.GetString(8)),
        ParseTime(reader.GetString(9)));

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}

/// <summary>An inbox row: an event waiting for its instance's next turn (a timer, while <see cref="VisibleAt"/> is in the future).</summary>
internal sealed record InboxRow(long Id, string InstanceId, HistoryEvent Event, DateTime? VisibleAt);

/// <summary>An activity to run: scheduled in a turn, or found unfinished in history after a restart.</summary>
internal sealed record ActivityRow(string InstanceId, int TaskId, string Name, string? Input, string? TaskExecutionId);

/// <summary>Everything one engine iteration writes, committed as one transaction.</summary>
internal sealed class StoreBatch
{
    public List<WorkflowInstanceState> Instances { get; } = [];

    public List<string> ResetHistory { get; } = [];

    public List<(string InstanceId, int Sequence, HistoryEvent Event)> History { get; } = [];

    public List<long> ConsumedInbox { get; } = [];

    public List<(string InstanceId, HistoryEvent Event, DateTime? VisibleAt)> Inbox { get; } = [];

    public bool IsEmpty => Instances.Count == 0 && History.Count == 0 && ConsumedInbox.Count == 0 && Inbox.Count == 0
        && ResetHistory.Count == 0;
}
