using System.Runtime.CompilerServices;
using HpcK8s.Core.Ledger;
using Microsoft.Data.Sqlite;

namespace HpcK8s.Workflows.Ledger;

/// <summary>The embedded ledger store: one SQLite file (WAL) holding any number of ledgers. Each block is written in
/// one transaction together with its entries and the new head, so a crash leaves whole blocks only.</summary>
/// <remarks>
/// Headers and entries are stored in their canonical bytes (docs/ledger-format.md), so what is hashed is exactly what
/// is kept. A unique index on (ledger, kind, shard, attempt) backs the writer's idempotency. Appends are serialised
/// in-process by a lock and across processes by <c>BEGIN IMMEDIATE</c>; reads use their own pooled connections and
/// see a consistent snapshot (WAL). <c>synchronous=NORMAL</c>: a process crash loses nothing committed; a power loss
/// may lose the last blocks but never leaves a partial one.
/// </remarks>
public sealed class SqliteLedgerStore : ILedgerStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS ledger_heads (
            ledger_id TEXT NOT NULL PRIMARY KEY,
            height INTEGER NOT NULL,
            hash BLOB NOT NULL,
            frontier BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ledger_blocks (
            ledger_id TEXT NOT NULL,
            height INTEGER NOT NULL,
            header BLOB NOT NULL,
            hash BLOB NOT NULL,
            signature BLOB,
            PRIMARY KEY (ledger_id, height)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS ledger_entries (
            ledger_id TEXT NOT NULL,
            height INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            shard INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (ledger_id, height, idx)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ledger_entries_key ON ledger_entries (ledger_id, kind, shard, attempt);
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file; its directory must exist.</param>
    public SqliteLedgerStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + Schema;
        command.ExecuteNonQuery();
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>Test hook: called after each entry row is inserted, inside the block's transaction.</summary>
    internal Action<int>? AfterEntryInserted { get; set; }

    /// <inheritdoc />
    public async Task<LedgerHead> GetHeadAsync(string ledgerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        await using var connection = Open();
        return await ReadHeadAsync(connection, null, ledgerId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One range scan of the key index per entry kind (a block's shard keys are usually consecutive), filtered
    /// in memory: a thousand point lookups per block cost more than the block's inserts.</remarks>
    public async Task<IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition>> FindEntriesAsync(
        string ledgerId, IReadOnlyCollection<LedgerEntryKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<LedgerEntryKey, LedgerEntryPosition>();
        if (keys.Count == 0)
        {
            return result;
        }

        var wanted = keys.ToHashSet();
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT shard, attempt, height, idx FROM ledger_entries
            WHERE ledger_id = $id AND kind = $kind AND shard BETWEEN $min AND $max
            """;
        command.Parameters.AddWithValue("$id", ledgerId);
        var kind = command.Parameters.Add("$kind", SqliteType.Integer);
        var min = command.Parameters.Add("$min", SqliteType.Integer);
        var max = command.Parameters.Add("$max", SqliteType.Integer);
        foreach (var group in wanted.GroupBy(k => k.Kind))
        {
            kind.Value = (int)group.Key;
            min.Value = group.Min(k => k.Shard);
            max.Value = group.Max(k => k.Shard);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                var key = new LedgerEntryKey(group.Key, reader.GetInt32(0), reader.GetInt32(1));
                if (wanted.Contains(key))
                {
                    result[key] = new LedgerEntryPosition(reader.GetInt64(2), reader.GetInt32(3));
                }
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AppendBlockAsync(LedgerBlock block, LedgerHead newHead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(newHead);
        var ledgerId = block.Header.LedgerId;
        if (newHead.LedgerId != ledgerId || newHead.Height != block.Height || newHead.Hash != block.Hash)
        {
            throw new ArgumentException($"the new head ({newHead}) is not the head after block {block.Height} of ledger {ledgerId}", nameof(newHead));
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            var head = await ReadHeadAsync(connection, transaction, ledgerId, cancellationToken).ConfigureAwait(false);
            if (!head.Follows(block, out var reason))
            {
                throw new LedgerConcurrencyException($"ledger {ledgerId} in {Path}: {reason}");
            }

            InsertBlock(connection, transaction, block, newHead, cancellationToken);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException error) when (error.SqliteErrorCode == 19)
        {
            throw new InvalidOperationException(
                $"ledger {ledgerId} in {Path}: block {block.Height} repeats an entry key already stored; append through LedgerWriter, which skips existing keys", error);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerBlock> ReadBlocksAsync(
        string ledgerId, long fromHeight = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var blocks = connection.CreateCommand();
        blocks.Transaction = transaction;
        blocks.CommandText = "SELECT height, header, hash, signature FROM ledger_blocks WHERE ledger_id = $id AND height >= $from ORDER BY height";
        blocks.Parameters.AddWithValue("$id", ledgerId);
        blocks.Parameters.AddWithValue("$from", fromHeight);
        await using var entries = connection.CreateCommand();
        entries.Transaction = transaction;
        entries.CommandText = "SELECT height, body FROM ledger_entries WHERE ledger_id = $id AND height >= $from ORDER BY height, idx";
        entries.Parameters.AddWithValue("$id", ledgerId);
        entries.Parameters.AddWithValue("$from", fromHeight);
        await using var blockReader = await blocks.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var entryReader = await entries.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entryPending = await entryReader.ReadAsync(cancellationToken).ConfigureAwait(false);
        while (await blockReader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var height = blockReader.GetInt64(0);
            var header = BlockHeader.FromCanonicalBytes((byte[])blockReader[1]);
            var hash = new Hash256((byte[])blockReader[2]);
            var signature = blockReader.IsDBNull(3) ? default(ReadOnlyMemory<byte>) : (byte[])blockReader[3];
            var bodies = new List<ReadOnlyMemory<byte>>(Math.Clamp(header.EntryCount, 0, 4096));
            while (entryPending && entryReader.GetInt64(0) == height)
            {
                bodies.Add((byte[])entryReader[1]);
                entryPending = await entryReader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            // The block keeps the stored bodies so that verification hashes them as stored, without re-encoding.
            yield return LedgerBlock.FromCanonicalEntries(header, bodies, hash, signature);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListLedgersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ledger_id FROM ledger_heads ORDER BY ledger_id";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Releases pooled connections so the file can be moved or deleted.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeLock.Dispose();
    }

    private static async Task<LedgerHead> ReadHeadAsync(SqliteConnection connection, SqliteTransaction? transaction, string ledgerId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT height, hash, frontier FROM ledger_heads WHERE ledger_id = $id";
        command.Parameters.AddWithValue("$id", ledgerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return LedgerHead.Empty(ledgerId);
        }

        return LedgerHead.FromStored(ledgerId, reader.GetInt64(0), new Hash256((byte[])reader[1]), (byte[])reader[2]);
    }

    private void InsertBlock(SqliteConnection connection, SqliteTransaction transaction, LedgerBlock block, LedgerHead newHead, CancellationToken cancellationToken)
    {
        var ledgerId = block.Header.LedgerId;
        using (var insertBlock = connection.CreateCommand())
        {
            insertBlock.Transaction = transaction;
            insertBlock.CommandText = "INSERT INTO ledger_blocks (ledger_id, height, header, hash, signature) VALUES ($id, $height, $header, $hash, $signature)";
            insertBlock.Parameters.AddWithValue("$id", ledgerId);
            insertBlock.Parameters.AddWithValue("$height", block.Height);
            insertBlock.Parameters.AddWithValue("$header", block.Header.ToCanonicalBytes());
            insertBlock.Parameters.AddWithValue("$hash", block.Hash.ToArray());
            insertBlock.Parameters.AddWithValue("$signature", block.Signature.IsEmpty ? DBNull.Value : block.Signature.ToArray());
            insertBlock.ExecuteNonQuery();
        }

        using (var insertEntry = connection.CreateCommand())
        {
            insertEntry.Transaction = transaction;
            insertEntry.CommandText = "INSERT INTO ledger_entries (ledger_id, height, idx, kind, shard, attempt, body) VALUES ($id, $height, $idx, $kind, $shard, $attempt, $body)";
            insertEntry.Parameters.AddWithValue("$id", ledgerId);
            insertEntry.Parameters.AddWithValue("$height", block.Height);
            var idx = insertEntry.Parameters.Add("$idx", SqliteType.Integer);
            var kind = insertEntry.Parameters.Add("$kind", SqliteType.Integer);
            var shard = insertEntry.Parameters.Add("$shard", SqliteType.Integer);
            var attempt = insertEntry.Parameters.Add("$attempt", SqliteType.Integer);
            var body = insertEntry.Parameters.Add("$body", SqliteType.Blob);
            insertEntry.Prepare();
            for (var i = 0; i < block.Entries.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entry = block.Entries[i];
                var key = entry.Key;
                idx.Value = i;
                kind.Value = (int)key.Kind;
                shard.Value = key.Shard;
                attempt.Value = key.Attempt;
                body.Value = entry.ToCanonicalBytes();
                insertEntry.ExecuteNonQuery();
                AfterEntryInserted?.Invoke(i);
            }
        }

        using var upsertHead = connection.CreateCommand();
        upsertHead.Transaction = transaction;
        upsertHead.CommandText = """
            INSERT INTO ledger_heads (ledger_id, height, hash, frontier) VALUES ($id, $height, $hash, $frontier)
            ON CONFLICT (ledger_id) DO UPDATE SET height = excluded.height, hash = excluded.hash, frontier = excluded.frontier
            """;
        upsertHead.Parameters.AddWithValue("$id", ledgerId);
        upsertHead.Parameters.AddWithValue("$height", newHead.Height);
        upsertHead.Parameters.AddWithValue("$hash", newHead.Hash.ToArray());
        upsertHead.Parameters.AddWithValue("$frontier", newHead.ToFrontierBytes());
        upsertHead.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
