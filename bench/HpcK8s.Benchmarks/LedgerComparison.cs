using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.Ledger;
using Microsoft.Data.Sqlite;

namespace HpcK8s.Benchmarks;

/// <summary>The ledger against the raw work it has to do: verification against plain SHA-256 over the same canonical
/// bytes, and SQLite appends against a bare insert loop of the same rows with the same transaction per block.</summary>
internal sealed class LedgerComparison : IComparison
{
    private const int PerBlock = 1000;

    public string Name => "ledger";

    public string Description =>
        "verify >= 500 MB/s and 1M entries < 3 s on one core; SQLite append >= 100k entries/s (blocks of 1000)";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        var inv = CultureInfo.InvariantCulture;
        var entries = context.Quick ? 100_000 : 1_000_000;
        var blocks = BuildLedger(entries);
        var canonical = blocks.SelectMany(b => b.Entries.Select(e => e.ToCanonicalBytes()).Append(b.Header.ToCanonicalBytes())).ToList();
        var all = canonical.SelectMany(b => b).ToArray();

        LedgerVerifier.Verify(blocks.Take(20));
        LedgerVerificationResult? result = null;

        // Best of 5 by wall time (the figure the target is about), and by process CPU time, which is less disturbed
        // when other work shares the machine's cores.
        var (ours, oursCpu) = BestWallAndCpu(5, () => result = LedgerVerifier.Verify(blocks));
        if (result is not { IsValid: true })
        {
            throw new InvalidOperationException("benchmark ledger failed to verify: " + result?.Reason);
        }

        // The same ledger as a store hands it out (SQLite, Dapr state): blocks carrying their entries' canonical bytes,
        // which the verifier hashes as stored instead of re-encoding the entry objects.
        var stored = blocks.Select(b => LedgerBlock.FromCanonicalEntries(
            b.Header, [.. b.Entries.Select(e => (ReadOnlyMemory<byte>)e.ToCanonicalBytes())], b.Hash, b.Signature)).ToList();
        LedgerVerificationResult? storedResult = null;
        var (fromStored, fromStoredCpu) = BestWallAndCpu(5, () => storedResult = LedgerVerifier.Verify(stored));
        if (storedResult is not { IsValid: true })
        {
            throw new InvalidOperationException("benchmark ledger failed to verify from stored bytes: " + storedResult?.Reason);
        }

        var digest = new byte[32];
        var bulk = Best(3, () => SHA256.HashData(all, digest));
        var perRecord = Best(3, () =>
        {
            foreach (var record in canonical)
            {
                SHA256.HashData(record, digest);
            }
        });
        var bytes = (double)result.CanonicalBytes;
        Console.WriteLine(string.Format(inv,
            "  verify {0:N0} entries / {1:N0} blocks, {2:0.0} MB canonical: {3:0.000} s = {4:0} MB/s, {5:0.00} M entries/s; SHA-256 one buffer {6:0} MB/s; SHA256.HashData per record {7:0} MB/s",
            result.EntryCount, result.BlockCount, bytes / 1e6, ours, bytes / ours / 1e6, entries / ours / 1e6, bytes / bulk / 1e6, bytes / perRecord / 1e6));
        Console.WriteLine(string.Format(inv,
            "  verify by CPU time: {0:0.000} s = {1:0} MB/s, {2:0.00} M entries/s (multi-buffer SHA-256: {3}; {4:0.0} compression blocks per entry)",
            oursCpu, bytes / oursCpu / 1e6, entries / oursCpu / 1e6, SimdLanes(), CompressionBlocksPerEntry(blocks)));
        Console.WriteLine(string.Format(inv,
            "  verify from stored canonical bytes: {0:0.000} s = {1:0} MB/s; by CPU time {2:0.000} s = {3:0} MB/s, {4:0.00} M entries/s",
            fromStored, bytes / fromStored / 1e6, fromStoredCpu, bytes / fromStoredCpu / 1e6, entries / fromStoredCpu / 1e6));

        var rows = new List<ComparisonRow>
        {
            new($"verify {entries / 1000}k entries vs SHA-256 of bytes", "time", ours, bulk, bytes / 500e6 / bulk, "s"),
            new($"verify {entries / 1000}k entries vs per-record", "time", ours, perRecord, entries == 1_000_000 ? 3.0 / perRecord : 3.0 * entries / 1e6 / perRecord, "s"),
            new($"verify {entries / 1000}k stored vs SHA-256", "time", fromStored, bulk, bytes / 500e6 / bulk, "s"),
        };

        var appendEntries = context.Quick ? 100_000 : 500_000;
        var (sqliteOurs, sqliteRef, loadVerify) = MeasureSqlite(context, appendEntries);
        Console.WriteLine(string.Format(inv,
            "  SQLite append {0:N0} entries in blocks of {1}: ours {2:0.000} s = {3:0} k entries/s; bare inserts {4:0.000} s = {5:0} k rows/s; load+verify from SQLite {6:0.000} s",
            appendEntries, PerBlock, sqliteOurs, appendEntries / sqliteOurs / 1000, sqliteRef, appendEntries / sqliteRef / 1000, loadVerify));
        rows.Add(new($"sqlite append {appendEntries / 1000}k vs bare inserts", "time", sqliteOurs, sqliteRef, appendEntries / 100_000.0 / sqliteRef, "s"));
        return rows;
    }

    private static List<LedgerBlock> BuildLedger(int entries)
    {
        var head = LedgerHead.Empty("bench-job");
        var blocks = new List<LedgerBlock>();
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var shard = 0;
        while (shard < entries)
        {
            var batch = new List<LedgerEntry>(PerBlock);
            if (head.IsEmpty)
            {
                batch.Add(LedgerEntry.JobAccepted("bench", "montecarlo-pi", Hash256.OfUtf8("spec")));
            }

            while (batch.Count < PerBlock && shard < entries)
            {
                batch.Add(Shard(shard++));
            }

            var block = LedgerBlockBuilder.Build(head, batch, time.AddSeconds(blocks.Count));
            head = head.Advance(block);
            blocks.Add(block);
        }

        return blocks;
    }

    private static ShardCompletedEntry Shard(int i) =>
        new(i, 1, "worker-" + (i % 64).ToString(CultureInfo.InvariantCulture), Hash256.OfUtf8("hits=" + i.ToString(CultureInfo.InvariantCulture)), 1_000_000 + i);

    private static (double Ours, double Reference, double LoadVerify) MeasureSqlite(ComparisonContext context, int entries)
    {
        Directory.CreateDirectory(context.OutDir);
        var batches = new List<List<LedgerEntry>> { new() { LedgerEntry.JobAccepted("bench", "montecarlo-pi", Hash256.OfUtf8("spec")) } };
        for (var s = 0; s < entries; s += PerBlock)
        {
            batches.Add([.. Enumerable.Range(s, Math.Min(PerBlock, entries - s)).Select(i => (LedgerEntry)Shard(i))]);
        }

        var ourPath = Path.Combine(context.OutDir, "ledger-ours.db");
        var refPath = Path.Combine(context.OutDir, "ledger-ref.db");
        Delete(ourPath);
        Delete(refPath);
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        double ours, loadVerify;
        using (var store = new SqliteLedgerStore(ourPath))
        {
            var writer = new LedgerWriter(store);
            ours = Reference.Measure(() =>
            {
                foreach (var batch in batches)
                {
                    writer.AppendAsync("bench-job", batch, time).GetAwaiter().GetResult();
                }
            }).WallSeconds;
            loadVerify = Reference.Measure(() =>
            {
                var result = LedgerVerifier.VerifyAsync(store.ReadBlocksAsync("bench-job")).GetAwaiter().GetResult();
                if (!result.IsValid)
                {
                    throw new InvalidOperationException(result.Reason);
                }
            }).WallSeconds;
        }

        // The bare reference: the same rows (canonical bodies precomputed) into the same schema, one transaction per block.
        var rows = batches.Select(b => b.Select(e => (e.Key, Body: e.ToCanonicalBytes())).ToList()).ToList();
        double reference;
        using (var connection = new SqliteConnection($"Data Source={refPath}"))
        {
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = """
                    PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
                    CREATE TABLE ledger_entries (ledger_id TEXT NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, kind INTEGER NOT NULL,
                        shard INTEGER NOT NULL, attempt INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (ledger_id, height, idx)) WITHOUT ROWID;
                    CREATE UNIQUE INDEX ledger_entries_key ON ledger_entries (ledger_id, kind, shard, attempt);
                    """;
                setup.ExecuteNonQuery();
            }

            reference = Reference.Measure(() =>
            {
                for (var h = 0; h < rows.Count; h++)
                {
                    using var transaction = connection.BeginTransaction();
                    using var insert = connection.CreateCommand();
                    insert.Transaction = transaction;
                    insert.CommandText = "INSERT INTO ledger_entries VALUES ('bench-job', $h, $i, $k, $s, $a, $b)";
                    var ph = insert.Parameters.Add("$h", SqliteType.Integer);
                    var pi = insert.Parameters.Add("$i", SqliteType.Integer);
                    var pk = insert.Parameters.Add("$k", SqliteType.Integer);
                    var ps = insert.Parameters.Add("$s", SqliteType.Integer);
                    var pa = insert.Parameters.Add("$a", SqliteType.Integer);
                    var pb = insert.Parameters.Add("$b", SqliteType.Blob);
                    insert.Prepare();
                    for (var i = 0; i < rows[h].Count; i++)
                    {
                        var (key, body) = rows[h][i];
                        ph.Value = h;
                        pi.Value = i;
                        pk.Value = (int)key.Kind;
                        ps.Value = key.Shard;
                        pa.Value = key.Attempt;
                        pb.Value = body;
                        insert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }
            }).WallSeconds;
        }

        SqliteConnection.ClearAllPools();
        Delete(ourPath);
        Delete(refPath);
        return (ours, reference, loadVerify);
    }

    private static (double Wall, double Cpu) BestWallAndCpu(int runs, Action action)
    {
        var measured = Enumerable.Range(0, runs).Select(_ => Reference.Measure(action)).ToList();
        return (measured.Min(m => m.WallSeconds), measured.Min(m => m.CpuSeconds));
    }

    private static string SimdLanes() =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "16 lanes (AVX-512)"
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported ? "8 lanes (AVX2)"
        : "off, one message at a time";

    // SHA-256 compressions the verifier must run per entry: the leaf (entry + prefix + 9 padding bytes, in 64-byte
    // blocks) and its share of the n - 1 two-block Merkle nodes. This is the floor the hashing work cannot go below.
    private static double CompressionBlocksPerEntry(List<LedgerBlock> blocks)
    {
        double total = 0, entries = 0;
        foreach (var block in blocks)
        {
            foreach (var entry in block.Entries)
            {
                total += (entry.ToCanonicalBytes().Length + 1 + 9 + 63) / 64;
            }

            total += 2.0 * (block.Entries.Count - 1);
            entries += block.Entries.Count;
        }

        return total / entries;
    }

    private static double Best(int runs, Action action) =>
        Enumerable.Range(0, runs).Min(_ => Reference.Measure(action).WallSeconds);

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
