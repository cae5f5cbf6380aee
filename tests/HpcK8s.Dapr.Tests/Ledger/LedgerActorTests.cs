using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;

namespace HpcK8s.Dapr.Tests.Ledger;

public class LedgerActorTests
{
    private const string LedgerId = "pi-demo-01";
    private static readonly CancellationToken None = CancellationToken.None;

    private static (LedgerBlock Block, LedgerHead Head) Next(LedgerHead head, LedgerEntry entry, int second = 0)
    {
        var block = LedgerBlockBuilder.Build(head, [entry], LedgerCluster.Time.AddSeconds(second));
        return (block, head.Advance(block));
    }

    private static async Task<(TestReplica Replica, InMemoryActorStateStore State, List<LedgerBlock> Blocks)> ReplicaWithBlocksAsync(int count)
    {
        var state = new InMemoryActorStateStore();
        var replica = new TestReplica(state, LedgerId, 0);
        var head = LedgerHead.Empty(LedgerId);
        var blocks = new List<LedgerBlock>();
        for (var i = 0; i < count; i++)
        {
            var (block, next) = Next(head, i == 0 ? LedgerCluster.Accepted() : LedgerCluster.Shard(i - 1), i);
            Assert.Equal(LedgerReplicaOutcome.Appended, (await replica.AppendAsync(LedgerBlockData.From(block), None)).Outcome);
            blocks.Add(block);
            head = next;
        }

        return (replica, state, blocks);
    }

    [Fact]
    public async Task AppendAsync_NextBlock_WritesOnlyTheNewBlockAndTheHeadInOneTransaction()
    {
        var (replica, state, blocks) = await ReplicaWithBlocksAsync(3);

        Assert.Equal(3, state.Transactions.Count);
        Assert.Equal(["block-2", "head"], state.Transactions[^1].Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["block-0", "block-1", "block-2", "head"], state.Keys(LedgerActorIds.ActorType, replica.ActorId));
        var head = await replica.GetHeadAsync(None);
        Assert.Equal(2, head.Height);
        Assert.Equal(blocks[^1].Hash.ToString(), head.Hash);
    }

    [Fact]
    public async Task AppendAsync_StateSurvivesANewActivation_ChainReloadedAndVerified()
    {
        var (replica, _, blocks) = await ReplicaWithBlocksAsync(2);
        replica.Restart();

        var head = (await replica.GetHeadAsync(None)).ToHead();
        var (block, _) = Next(head, LedgerCluster.Shard(5), 9);
        var reply = await replica.AppendAsync(LedgerBlockData.From(block), None);

        Assert.Equal(LedgerReplicaOutcome.Appended, reply.Outcome);
        Assert.Equal(2, reply.Head.Height);
    }

    [Fact]
    public async Task AppendAsync_PreviousHashIsNotTheHead_IsRefusedAsAFork()
    {
        var (replica, state, _) = await ReplicaWithBlocksAsync(2);
        var otherGenesis = Next(LedgerHead.Empty(LedgerId), LedgerCluster.Accepted(), 30);
        var forked = Next(otherGenesis.Head, LedgerCluster.Shard(0), 31).Block;
        var forkAtNextHeight = Next(otherGenesis.Head.Advance(forked), LedgerCluster.Shard(1), 32).Block;
        var writes = state.Transactions.Count;

        var atExisting = await replica.AppendAsync(LedgerBlockData.From(forked), None);
        var atNext = await replica.AppendAsync(LedgerBlockData.From(forkAtNextHeight), None);

        Assert.Equal(LedgerReplicaOutcome.Refused, atExisting.Outcome);
        Assert.Contains("no forks", atExisting.Reason);
        Assert.Equal(LedgerReplicaOutcome.Refused, atNext.Outcome);
        Assert.Contains("previous hash", atNext.Reason);
        Assert.Equal(writes, state.Transactions.Count);
        Assert.Equal(1, (await replica.GetHeadAsync(None)).Height);
    }

    [Fact]
    public async Task AppendAsync_HeightBeyondHeadPlusOne_IsRefused()
    {
        var (replica, _, blocks) = await ReplicaWithBlocksAsync(1);
        var head = LedgerHead.Empty(LedgerId).Advance(blocks[0]);
        var (one, headOne) = Next(head, LedgerCluster.Shard(0), 1);
        var (two, _) = Next(headOne, LedgerCluster.Shard(1), 2);

        var reply = await replica.AppendAsync(LedgerBlockData.From(two), None);

        Assert.Equal(LedgerReplicaOutcome.Refused, reply.Outcome);
        Assert.Contains("does not follow head height 0", reply.Reason);
        Assert.Equal(LedgerReplicaOutcome.Appended, (await replica.AppendAsync(LedgerBlockData.From(one), None)).Outcome);
    }

    [Fact]
    public async Task AppendAsync_SameBlockAgain_IsAcknowledgedWithoutWriting()
    {
        var (replica, state, blocks) = await ReplicaWithBlocksAsync(3);
        var writes = state.Transactions.Count;

        var again = await replica.AppendAsync(LedgerBlockData.From(blocks[1]), None);
        var tip = await replica.AppendAsync(LedgerBlockData.From(blocks[2]), None);

        Assert.Equal(LedgerReplicaOutcome.AlreadyPresent, again.Outcome);
        Assert.Equal(LedgerReplicaOutcome.AlreadyPresent, tip.Outcome);
        Assert.True(tip.Acknowledged);
        Assert.Equal(writes, state.Transactions.Count);
    }

    [Fact]
    public async Task AppendAsync_BlockBreakingTheEntryRules_IsInvalid()
    {
        var (replica, _, blocks) = await ReplicaWithBlocksAsync(1);
        var (second, _) = Next(LedgerHead.Empty(LedgerId).Advance(blocks[0]), LedgerCluster.Accepted(), 1);

        var reply = await replica.AppendAsync(LedgerBlockData.From(second), None);

        Assert.Equal(LedgerReplicaOutcome.Invalid, reply.Outcome);
        Assert.Contains("JobAccepted", reply.Reason);
    }

    [Fact]
    public async Task AppendAsync_StoredBlockAltered_ReportsDamagedAndDoesNotAppend()
    {
        var (replica, _, blocks) = await ReplicaWithBlocksAsync(3);
        replica.TamperBlock(1);
        var (next, _) = Next(LedgerHead.Empty(LedgerId).Advance(blocks[0]).Advance(blocks[1]).Advance(blocks[2]), LedgerCluster.Shard(7), 7);

        var reply = await replica.AppendAsync(LedgerBlockData.From(next), None);

        Assert.Equal(LedgerReplicaOutcome.Damaged, reply.Outcome);
        Assert.Equal(1, reply.DamagedHeight);
        Assert.Contains("entries root", reply.Reason);
    }

    [Fact]
    public async Task RepairAsync_ReplicaThatLostItsState_IsRestoredFromSuppliedBlocks()
    {
        var (replica, state, blocks) = await ReplicaWithBlocksAsync(3);
        replica.LoseState();

        var reply = await replica.RepairAsync(new LedgerRepairRequest(0, [.. blocks.Select(LedgerBlockData.From)], blocks[^1].Hash.ToString()), None);

        Assert.Equal(LedgerReplicaOutcome.Repaired, reply.Outcome);
        Assert.Equal(2, reply.Head.Height);
        replica.Restart();
        Assert.Equal(blocks[^1].Hash.ToString(), (await replica.GetHeadAsync(None)).Hash);
        Assert.Equal(["block-0", "block-1", "block-2", "head"], state.Keys(LedgerActorIds.ActorType, replica.ActorId));
    }

    [Fact]
    public async Task RepairAsync_TamperedBlock_IsReplacedFromItsHeight()
    {
        var (replica, _, blocks) = await ReplicaWithBlocksAsync(3);
        replica.TamperBlock(1);

        var reply = await replica.RepairAsync(new LedgerRepairRequest(1, [.. blocks.Skip(1).Select(LedgerBlockData.From)]), None);

        Assert.Equal(LedgerReplicaOutcome.Repaired, reply.Outcome);
        replica.Restart();
        var (next, _) = Next(LedgerHead.Empty(LedgerId).Advance(blocks[0]).Advance(blocks[1]).Advance(blocks[2]), LedgerCluster.Shard(7), 7);
        Assert.Equal(LedgerReplicaOutcome.Appended, (await replica.AppendAsync(LedgerBlockData.From(next), None)).Outcome);
    }

    [Fact]
    public async Task RepairAsync_BlocksThatDoNotVerify_AreRejectedAndNothingIsWritten()
    {
        var (replica, state, blocks) = await ReplicaWithBlocksAsync(3);
        var writes = state.Transactions.Count;
        var bad = LedgerBlockData.From(blocks[2]) with { Hash = blocks[1].Hash.ToString() };

        var reply = await replica.RepairAsync(new LedgerRepairRequest(2, [bad]), None);
        var gap = await replica.RepairAsync(new LedgerRepairRequest(5, []), None);

        Assert.Equal(LedgerReplicaOutcome.Invalid, reply.Outcome);
        Assert.Contains("recorded hash", reply.Reason);
        Assert.Equal(LedgerReplicaOutcome.Refused, gap.Outcome);
        Assert.Equal(writes, state.Transactions.Count);
    }

    [Fact]
    public async Task RepairAsync_NoBlocksFromAHeight_TruncatesAndRemovesTheirKeys()
    {
        var (replica, state, blocks) = await ReplicaWithBlocksAsync(3);

        var reply = await replica.RepairAsync(new LedgerRepairRequest(1, [], blocks[0].Hash.ToString()), None);

        Assert.Equal(LedgerReplicaOutcome.Repaired, reply.Outcome);
        Assert.Equal(0, reply.Head.Height);
        Assert.Equal(["block-0", "head"], state.Keys(LedgerActorIds.ActorType, replica.ActorId));
    }

    [Fact]
    public async Task FindEntriesAsync_KnownAndUnknownKeys_ReturnsPositionsOfKnownOnly()
    {
        var (replica, _, _) = await ReplicaWithBlocksAsync(3);

        var reply = await replica.FindEntriesAsync(new LedgerFindRequest([new(LedgerEntryKind.ShardCompleted, 1, 1), new(LedgerEntryKind.JobCompleted, 0, 0)]), None);

        var found = Assert.Single(reply.Found);
        Assert.Equal((2L, 0), (found.Height, found.Index));
    }

    [Theory]
    [InlineData("pi-demo-01", 0, "pi-demo-01:0")]
    [InlineData("a.b_c", 6, "a.b_c:6")]
    public void For_LedgerAndIndex_IsDeterministicAndParsesBack(string ledgerId, int index, string expected)
    {
        var id = LedgerActorIds.For(ledgerId, index).GetId();

        Assert.Equal(expected, id);
        Assert.True(LedgerActorIds.TryParse(id, out var parsedLedger, out var parsedIndex));
        Assert.Equal((ledgerId, index), (parsedLedger, parsedIndex));
    }

    [Theory]
    [InlineData("ns/job")]
    [InlineData("has space")]
    [InlineData("-leading")]
    public void For_LedgerIdThatCannotNameAnActor_Throws(string ledgerId) =>
        Assert.Throws<ArgumentException>(() => LedgerActorIds.For(ledgerId, 0));
}
