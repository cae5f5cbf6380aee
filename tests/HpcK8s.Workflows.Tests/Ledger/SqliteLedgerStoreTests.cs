using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.Ledger;

namespace HpcK8s.Workflows.Tests.Ledger;

public sealed class SqliteLedgerStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("hpck8s-ledger-").FullName;

    private string DbPath => Path.Combine(_dir, "ledger.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JobAcceptedEntry Accepted() => LedgerEntry.JobAccepted("pi", "montecarlo-pi", Hash256.OfUtf8("spec"));

    private static ShardCompletedEntry Shard(int shard, int attempt = 1) =>
        LedgerEntry.ShardCompleted(shard, attempt, $"pod-{shard}", Hash256.OfUtf8($"r{shard}"), TimeSpan.FromMilliseconds(shard + 1));

    private static async Task<LedgerAppendResult> FillAsync(LedgerWriter writer, string id, int shards, int perBlock)
    {
        await writer.AppendAsync(id, [Accepted()], T0);
        for (var s = 0; s < shards; s += perBlock)
        {
            await writer.AppendAsync(id, [.. Enumerable.Range(s, Math.Min(perBlock, shards - s)).Select(i => (LedgerEntry)Shard(i))], T0.AddSeconds(s));
        }

        return await writer.CompleteJobAsync(id, "42", shards, T0.AddMinutes(1));
    }

    [Fact]
    public async Task AppendAsync_ThenReopen_ReadsTheSameVerifiedLedger()
    {
        LedgerAppendResult last;
        using (var store = new SqliteLedgerStore(DbPath))
        {
            var writer = new LedgerWriter(store);
            last = await FillAsync(writer, "job-a", shards: 25, perBlock: 4);
            await FillAsync(writer, "job-b", shards: 3, perBlock: 3);
        }

        using var reopened = new SqliteLedgerStore(DbPath);
        var head = await reopened.GetHeadAsync("job-a");
        Assert.Equal(last.Head.Hash, head.Hash);
        Assert.Equal(last.Head.BlocksRoot, head.BlocksRoot);
        Assert.Equal(["job-a", "job-b"], await reopened.ListLedgersAsync());
        var result = await LedgerVerifier.VerifyAsync(reopened.ReadBlocksAsync("job-a"), new LedgerVerifyOptions { ExpectedLedgerId = "job-a", ExpectedHeadHash = head.Hash });
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(27, result.EntryCount);

        var tail = new List<LedgerBlock>();
        await foreach (var block in reopened.ReadBlocksAsync("job-a", fromHeight: 5))
        {
            tail.Add(block);
        }

        Assert.Equal(Enumerable.Range(5, (int)head.Height - 4).Select(h => (long)h), tail.Select(b => b.Height));

        // Appending after reopen continues the same chain.
        Assert.True(File.Exists(DbPath + "-wal") || File.Exists(DbPath));
        var more = await new LedgerWriter(reopened).AppendAsync("job-c", [Accepted(), Shard(0)], T0);
        Assert.Equal(0, more.Head.Height);
    }

    [Fact]
    public async Task StoredEntryBodyTampered_VerifyNamesItsBlock()
    {
        using (var store = new SqliteLedgerStore(DbPath))
        {
            await FillAsync(new LedgerWriter(store), "job-a", shards: 12, perBlock: 4);
        }

        // Flip one byte inside the worker name of block 2's second entry: the body still decodes, so only the hash
        // of the stored bytes can catch it.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT body FROM ledger_entries WHERE ledger_id = 'job-a' AND height = 2 AND idx = 1";
            var body = (byte[])read.ExecuteScalar()!;
            body[1 + 8 + 8 + 4] ^= 0x01;
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE ledger_entries SET body = $b WHERE ledger_id = 'job-a' AND height = 2 AND idx = 1";
            write.Parameters.AddWithValue("$b", body);
            Assert.Equal(1, write.ExecuteNonQuery());
        }

        using var reopened = new SqliteLedgerStore(DbPath);
        var result = await LedgerVerifier.VerifyAsync(reopened.ReadBlocksAsync("job-a"));
        Assert.Equal(2, result.FailedHeight);
        Assert.Equal("block 2: entries root mismatch (an entry was altered, added, removed or reordered)", result.Reason);
    }

    [Fact]
    public async Task AppendAsync_SameEntriesRetried_WritesEachOnceEvenAcrossReopen()
    {
        LedgerAppendResult first;
        using (var store = new SqliteLedgerStore(DbPath))
        {
            var writer = new LedgerWriter(store);
            await writer.AppendAsync("j", [Accepted()], T0);
            first = await writer.AppendAsync("j", [Shard(0), Shard(1)], T0);
            var retry = await writer.AppendAsync("j", [Shard(1), Shard(0)], T0.AddSeconds(5));
            Assert.False(retry.Appended);
            Assert.Equal([first.Positions[1], first.Positions[0]], retry.Positions);
        }

        using var reopened = new SqliteLedgerStore(DbPath);
        var again = await new LedgerWriter(reopened).AppendAsync("j", [Shard(0), Shard(2)], T0);
        Assert.Equal(first.Positions[0], again.Positions[0]);
        Assert.Equal(new LedgerEntryPosition(2, 0), again.Positions[1]);
        var ledger = await LedgerChain.LoadAsync(reopened, "j");
        Assert.Equal(4, ledger.Blocks.Sum(b => b.Entries.Count));
        Assert.True(ledger.Verify().IsValid);
    }

    [Fact]
    public async Task AppendBlockAsync_FailsMidBlock_LeavesPreviousHeadAndNoPartialBlock()
    {
        using var store = new SqliteLedgerStore(DbPath);
        var writer = new LedgerWriter(store);
        var before = await writer.AppendAsync("j", [Accepted(), Shard(0)], T0);

        store.AfterEntryInserted = i =>
        {
            if (i == 2)
            {
                throw new IOException("simulated crash after the third entry row");
            }
        };
        await Assert.ThrowsAsync<IOException>(() => writer.AppendAsync("j", [Shard(1), Shard(2), Shard(3), Shard(4)], T0));
        store.AfterEntryInserted = null;

        using (var other = new SqliteLedgerStore(DbPath))
        {
            var head = await other.GetHeadAsync("j");
            Assert.Equal(before.Head.Hash, head.Hash);
            Assert.Empty(await other.FindEntriesAsync("j", [Shard(1).Key, Shard(2).Key]));
            var ledger = await LedgerChain.LoadAsync(other, "j");
            Assert.Single(ledger.Blocks);
            Assert.True(ledger.Verify(expectedHeadHash: before.Head.Hash).IsValid);
        }

        var after = await writer.AppendAsync("j", [Shard(1), Shard(2), Shard(3), Shard(4)], T0);
        Assert.Equal(1, after.Head.Height);
        Assert.True((await LedgerChain.LoadAsync(store, "j")).Verify().IsValid);
    }

    [Fact]
    public async Task AppendBlockAsync_DuplicateKeyOrStaleHead_IsRefusedAndHeadKept()
    {
        using var store = new SqliteLedgerStore(DbPath);
        var writer = new LedgerWriter(store);
        var first = await writer.AppendAsync("j", [Accepted(), Shard(0)], T0);

        // A block built by hand that repeats a stored key: the unique index rejects it mid-block.
        var duplicate = LedgerBlockBuilder.Build(first.Head, [Shard(5), Shard(0)], T0);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendBlockAsync(duplicate, first.Head.Advance(duplicate)));
        Assert.Contains("repeats an entry key", error.Message);
        Assert.Equal(first.Head.Hash, (await store.GetHeadAsync("j")).Hash);
        Assert.Empty(await store.FindEntriesAsync("j", [Shard(5).Key]));

        // A block built on a head that has since moved.
        var stale = LedgerBlockBuilder.Build(first.Head, [Shard(6)], T0);
        await writer.AppendAsync("j", [Shard(7)], T0);
        await Assert.ThrowsAsync<LedgerConcurrencyException>(() => store.AppendBlockAsync(stale, first.Head.Advance(stale)));
    }

    [Fact]
    public async Task AppendAsync_TwoStoresOnOneFile_KeepOneValidChain()
    {
        using var a = new SqliteLedgerStore(DbPath);
        using var b = new SqliteLedgerStore(DbPath);
        await new LedgerWriter(a).AppendAsync("j", [Accepted()], T0);
        var tasks = Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            new LedgerWriter(i % 2 == 0 ? a : b).AppendAsync("j", [Shard(i % 15)], T0))).ToArray();
        await Task.WhenAll(tasks);
        var ledger = await LedgerChain.LoadAsync(a, "j");
        Assert.True(ledger.Verify().IsValid, ledger.Verify().Reason);
        Assert.Equal(16, ledger.Blocks.Sum(x => x.Entries.Count));
    }

    [Fact]
    public async Task SignedBlocks_KeyFilesOnDisk_VerifyAndWrongKeyFails()
    {
        using var generated = LedgerSigningKey.Generate();
        var pemPath = Path.Combine(_dir, "ledger.key");
        var seedPath = Path.Combine(_dir, "ledger.seed");
        var publicPath = Path.Combine(_dir, "ledger.pub");
        var otherPublicPath = Path.Combine(_dir, "other.pub");
        await File.WriteAllTextAsync(pemPath, generated.ExportPem());
        await File.WriteAllTextAsync(seedPath, generated.ExportSeedBase64() + "\n");
        await File.WriteAllTextAsync(publicPath, generated.PublicKey.ExportPem());
        using (var other = LedgerSigningKey.Generate())
        {
            await File.WriteAllTextAsync(otherPublicPath, other.PublicKey.ToBase64());
        }

        using var fromPem = LedgerKeyFiles.LoadSigningKey(pemPath);
        using var fromSeed = LedgerKeyFiles.LoadSigningKey(seedPath);
        Assert.Equal(fromPem.PublicKey.ToBase64(), fromSeed.PublicKey.ToBase64());

        using (var store = new SqliteLedgerStore(DbPath))
        {
            await FillAsync(new LedgerWriter(store, fromPem), "j", shards: 4, perBlock: 2);
        }

        using var reopened = new SqliteLedgerStore(DbPath);
        var ok = await LedgerVerifier.VerifyAsync(reopened.ReadBlocksAsync("j"), new LedgerVerifyOptions { PublicKey = LedgerKeyFiles.LoadPublicKey(publicPath) });
        Assert.True(ok.IsValid, ok.Reason);
        var wrong = await LedgerVerifier.VerifyAsync(reopened.ReadBlocksAsync("j"), new LedgerVerifyOptions { PublicKey = LedgerKeyFiles.LoadPublicKey(otherPublicPath) });
        Assert.Equal("block 0: signature does not verify with the given public key", wrong.Reason);

        await File.WriteAllTextAsync(Path.Combine(_dir, "bad.key"), "not a key");
        var bad = Assert.Throws<FormatException>(() => LedgerKeyFiles.LoadSigningKey(Path.Combine(_dir, "bad.key")));
        Assert.Contains("bad.key", bad.Message);
    }

    [Fact]
    public async Task ExportImport_FromSqlite_RoundTripsThroughAFile()
    {
        using var store = new SqliteLedgerStore(DbPath);
        var last = await FillAsync(new LedgerWriter(store), "j", shards: 10, perBlock: 3);
        var exportPath = Path.Combine(_dir, "j.json");
        await using (var file = File.Create(exportPath))
        {
            var ledger = await LedgerChain.LoadAsync(store, "j");
            LedgerJson.Write(file, "j", ledger.Blocks);
        }

        var imported = LedgerJson.Import(await File.ReadAllBytesAsync(exportPath));
        Assert.True(imported.Verify(expectedHeadHash: last.Head.Hash).IsValid);
        var proof = imported.ProveShard(7);
        Assert.True(proof.Verify(last.Head.Hash, out var reason), reason);
    }
}
