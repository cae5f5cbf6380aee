using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class LedgerWriterTests
{
    [Fact]
    public async Task AppendAsync_SameEntryTwice_ReturnsExistingPositionAndWritesOnce()
    {
        var store = new InMemoryLedgerStore();
        var writer = new LedgerWriter(store);
        await writer.AppendAsync("j", [LedgerSamples.Accepted()], LedgerSamples.T0);
        var first = await writer.AppendAsync("j", [LedgerSamples.Shard(0), LedgerSamples.Shard(1)], LedgerSamples.T0);
        var again = await writer.AppendAsync("j", [LedgerSamples.Shard(1)], LedgerSamples.T0.AddHours(1));
        var mixed = await writer.AppendAsync("j", [LedgerSamples.Shard(1), LedgerSamples.Shard(2), LedgerSamples.Shard(2)], LedgerSamples.T0);

        Assert.True(first.Appended);
        Assert.False(again.Appended);
        Assert.Equal(new LedgerEntryPosition(1, 1), again.Positions[0]);
        Assert.Equal(first.Head.Hash, again.Head.Hash);
        Assert.Equal([new LedgerEntryPosition(1, 1), new LedgerEntryPosition(2, 0), new LedgerEntryPosition(2, 0)], mixed.Positions);
        var ledger = await LedgerChain.LoadAsync(store, "j");
        Assert.Equal(4, ledger.Blocks.Sum(b => b.Entries.Count));
        Assert.True(ledger.Verify().IsValid);
    }

    [Fact]
    public async Task AppendAsync_RulesBroken_Throws()
    {
        var store = new InMemoryLedgerStore();
        var writer = new LedgerWriter(store);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AppendAsync("j", [LedgerSamples.Shard(0)], LedgerSamples.T0));
        await writer.AppendAsync("j", [LedgerSamples.Accepted(), LedgerSamples.Shard(0)], LedgerSamples.T0);
        Assert.False((await writer.AppendAsync("j", [LedgerSamples.Accepted()], LedgerSamples.T0)).Appended);
        await writer.AppendAsync("j", [LedgerEntry.JobFailed("out of memory")], LedgerSamples.T0);
        var closed = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AppendAsync("j", [LedgerSamples.Shard(1)], LedgerSamples.T0));
        Assert.Contains("closed by JobFailed", closed.Message);
        Assert.False((await writer.AppendAsync("j", [LedgerEntry.JobFailed("retried")], LedgerSamples.T0)).Appended);
    }

    [Fact]
    public async Task CompleteJobAsync_UsesFirstRecordedShardResults_AndIsIdempotent()
    {
        var store = new InMemoryLedgerStore();
        var writer = new LedgerWriter(store);
        await writer.AppendAsync("j", [LedgerSamples.Accepted(), LedgerSamples.Shard(1), LedgerSamples.Shard(0)], LedgerSamples.T0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteJobAsync("j", "x", 3, LedgerSamples.T0));
        await writer.AppendAsync("j", [LedgerSamples.Shard(2), LedgerSamples.Shard(0, attempt: 2)], LedgerSamples.T0);
        var done = await writer.CompleteJobAsync("j", "3.14", 3, LedgerSamples.T0);
        var again = await writer.CompleteJobAsync("j", "3.14", 3, LedgerSamples.T0);
        Assert.True(done.Appended);
        Assert.False(again.Appended);
        Assert.Equal(done.Positions, again.Positions);
        var ledger = await LedgerChain.LoadAsync(store, "j");
        Assert.True(ledger.Verify().IsValid, ledger.Verify().Reason);
        var completed = (JobCompletedEntry)ledger.Blocks[^1].Entries[0];
        Assert.Equal(Hash256.OfUtf8("3.14"), completed.ResultDigest);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWriters_AllEntriesLandOnceInOneChain()
    {
        var store = new InMemoryLedgerStore();
        await new LedgerWriter(store).AppendAsync("j", [LedgerSamples.Accepted()], LedgerSamples.T0);
        var tasks = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            new LedgerWriter(store).AppendAsync("j", [LedgerSamples.Shard(i % 20)], LedgerSamples.T0))).ToArray();
        await Task.WhenAll(tasks);
        var ledger = await LedgerChain.LoadAsync(store, "j");
        Assert.True(ledger.Verify().IsValid);
        Assert.Equal(21, ledger.Blocks.Sum(b => b.Entries.Count));
    }

    [Fact]
    public void BlockBuilder_HeadAdvance_MatchesStoreOfRecord()
    {
        var head = LedgerHead.Empty("j");
        var block = LedgerBlockBuilder.Build(head, [LedgerSamples.Accepted()], LedgerSamples.T0);
        Assert.Equal(0, block.Height);
        Assert.True(block.Header.PreviousHash.IsZero);
        Assert.Equal(MerkleTree.EmptyRoot, block.Header.BlocksRoot);
        Assert.Equal("2025-03-14T15:09:26.535Z", block.Header.Time);
        var next = head.Advance(block);
        var stored = LedgerHead.FromStored("j", next.Height, next.Hash, next.ToFrontierBytes());
        Assert.Equal(next.BlocksRoot, stored.BlocksRoot);
        Assert.Equal(MerkleTree.HashLeaf(block.Hash), next.BlocksRoot);
        Assert.Throws<ArgumentException>(() => next.Advance(block));
    }
}
