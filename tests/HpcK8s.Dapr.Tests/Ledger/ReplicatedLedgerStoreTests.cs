using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;

namespace HpcK8s.Dapr.Tests.Ledger;

public class ReplicatedLedgerStoreTests
{
    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public async Task AppendAsync_MinorityDown_CommitsOnTheMajority(int replicas, int down)
    {
        var cluster = new LedgerCluster(replicas);
        var store = cluster.CreateStore();
        for (var i = 0; i < down; i++)
        {
            cluster.Replicas[i].Down = true;
        }

        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 4);

        Assert.Equal(3, head.Height);
        for (var i = down; i < replicas; i++)
        {
            Assert.Equal(head.Hash, (await cluster.ChainOfAsync(i)).HeadHash);
        }

        Assert.True((await LedgerChain.LoadAsync(store, cluster.LedgerId)).Verify(expectedHeadHash: head.Hash).IsValid);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(5, 3)]
    public async Task AppendAsync_MajorityDown_FailsClearlyLosesNothingAndResumesWhenBack(int replicas, int down)
    {
        var cluster = new LedgerCluster(replicas);
        var store = cluster.CreateStore();
        var committed = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 3);
        var before = await LedgerChain.LoadAsync(store, cluster.LedgerId);
        for (var i = 1; i <= down; i++)
        {
            cluster.Replicas[i].Down = true;
        }

        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => LedgerCluster.WriteAsync(store, cluster.LedgerId, 10, 1));

        Assert.Equal(replicas, error.ReplicaCount);
        Assert.Equal(replicas / 2 + 1, error.Quorum);
        Assert.Equal(replicas - down, error.Acknowledged);
        Assert.Equal(down, error.Replicas.Count(r => r.Condition == LedgerReplicaCondition.Unreachable));
        Assert.Contains($"reached {replicas - down} of {replicas} replicas, needs {replicas / 2 + 1}", error.Message);
        Assert.Contains("replica 1: Unreachable", error.Message);
        Assert.Contains("connection refused", error.Message);

        foreach (var replica in cluster.Replicas)
        {
            replica.Down = false;
        }

        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, 11, 2);
        var after = await LedgerChain.LoadAsync(store, cluster.LedgerId);
        Assert.Equal(committed.Height + 2, head.Height);
        Assert.Equal(before.Blocks.Select(b => b.Hash), after.Blocks.Take(before.Blocks.Count).Select(b => b.Hash));
        Assert.True(after.Verify(expectedHeadHash: head.Hash).IsValid);
        Assert.Null(after.Find(new LedgerEntryKey(LedgerEntryKind.ShardCompleted, 10, 1)));
        var report = await store.CheckAsync(cluster.LedgerId);
        Assert.False(report.HasDisagreement, report.ToString());
    }

    [Fact]
    public async Task GetHeadAsync_ReplicaHoldsAnUncommittedBlock_MajorityHeadWinsAndReplicaIsTruncated()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        var committed = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 2);
        var block = LedgerBlockBuilder.Build(committed, [LedgerCluster.Shard(5)], LedgerCluster.Time);
        cluster.Replicas[1].Down = cluster.Replicas[2].Down = true;
        await Assert.ThrowsAsync<LedgerQuorumException>(() => store.AppendBlockAsync(block, committed.Advance(block)));
        Assert.Equal(committed.Height + 1, (await cluster.ChainOfAsync(0)).Height);
        cluster.Replicas[1].Down = cluster.Replicas[2].Down = false;

        var head = await store.GetHeadAsync(cluster.LedgerId);

        Assert.Equal(committed.Hash, head.Hash);
        Assert.Equal(committed.Hash, (await cluster.ChainOfAsync(0)).HeadHash);
    }

    [Fact]
    public async Task ReadBlocksAsync_ReplicaLostItsState_IsRepairedFromTheMajority()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 5);
        cluster.Replicas[2].LoseState();

        var report = await store.CheckAsync(cluster.LedgerId);

        var lost = report.Replicas[2];
        Assert.Equal(LedgerReplicaCondition.Lagging, lost.Condition);
        Assert.True(lost.Repaired);
        var repaired = await cluster.ChainOfAsync(2);
        Assert.Equal(head.Hash, repaired.HeadHash);
        Assert.True(repaired.Verify().IsValid);
    }

    [Fact]
    public async Task ReadBlocksAsync_ReplicaWithATamperedBlock_IsDetectedRepairedAndNotServed()
    {
        var cluster = new LedgerCluster(5);
        var store = cluster.CreateStore();
        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 4);
        cluster.Replicas[3].TamperBlock(1);

        var blocks = await store.ReadBlocksAsync(cluster.LedgerId).ToListAsync();
        var report = await store.CheckAsync(cluster.LedgerId);

        Assert.True(new LedgerChain(cluster.LedgerId, blocks).Verify(expectedHeadHash: head.Hash).IsValid);
        Assert.False(report.HasDisagreement, report.ToString());
        Assert.True((await cluster.ChainOfAsync(3)).Verify(expectedHeadHash: head.Hash).IsValid);
    }

    [Fact]
    public async Task CheckAsync_TamperedBlock_ReportsTheDamageBeforeRepair()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 3);
        cluster.Replicas[0].TamperBlock(2);

        var report = await store.CheckAsync(cluster.LedgerId);

        Assert.True(report.HasDisagreement);
        var damaged = report.Replicas[0];
        Assert.Equal(LedgerReplicaCondition.Damaged, damaged.Condition);
        Assert.Contains("block 2", damaged.Detail);
        Assert.True(damaged.Repaired);
    }

    [Fact]
    public async Task AppendAsync_ReplicaLaggingAfterItWasDown_IsCaughtUpBeforeTheNextAppendCompletes()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        cluster.Replicas[0].Down = true;
        await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 3);
        cluster.Replicas[0].Down = false;

        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, 2, 1);

        Assert.Equal(head.Hash, (await cluster.ChainOfAsync(0)).HeadHash);
    }

    [Fact]
    public async Task AppendAsync_SlowReplica_TimesOutWithoutHoldingUpTheMajority()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore(TimeSpan.FromMilliseconds(300));
        cluster.Replicas[2].Delay = TimeSpan.FromSeconds(30);
        var started = DateTime.UtcNow;

        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 2);

        Assert.Equal(1, head.Height);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        cluster.Replicas[1].Down = true;
        var error = await Assert.ThrowsAsync<LedgerQuorumException>(() => store.GetHeadAsync(cluster.LedgerId));
        Assert.Contains("no answer within", error.Message);
    }

    [Fact]
    public async Task FindEntriesAsync_RetriedAppend_IsIdempotentAcrossReplicas()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        var writer = new LedgerWriter(store);
        await writer.AppendAsync(cluster.LedgerId, [LedgerCluster.Accepted()], LedgerCluster.Time);
        var first = await writer.AppendAsync(cluster.LedgerId, [LedgerCluster.Shard(0)], LedgerCluster.Time);

        var again = await writer.AppendAsync(cluster.LedgerId, [LedgerCluster.Shard(0)], LedgerCluster.Time.AddMinutes(1));

        Assert.False(again.Appended);
        Assert.Equal(first.Positions, again.Positions);
        Assert.Equal(first.Head.Hash, (await store.GetHeadAsync(cluster.LedgerId)).Hash);
    }

    [Fact]
    public async Task GetHeadAsync_AllReplicasAgree_TakesOneRound()
    {
        var cluster = new LedgerCluster(3);
        var store = cluster.CreateStore();
        var head = await LedgerCluster.WriteAsync(store, cluster.LedgerId, -1, 2);
        var calls = cluster.Replicas.Sum(r => r.Calls);

        var read = await store.GetHeadAsync(cluster.LedgerId);

        Assert.Equal(head.Hash, read.Hash);
        Assert.Equal(head.Frontier, read.Frontier);
        Assert.Equal(calls + 3, cluster.Replicas.Sum(r => r.Calls));
    }

    [Fact]
    public async Task ListLedgersAsync_ActorsCannotBeEnumerated_SaysWhereToLook()
    {
        var store = new LedgerCluster(1).CreateStore();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => store.ListLedgersAsync());

        Assert.Contains("ComputeJobs", error.Message);
    }
}
