using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Tests.Ledger;

/// <summary>N test replicas of one ledger over one state store, and stores and writers over them.</summary>
public sealed class LedgerCluster : ILedgerReplicaFactory, ILedgerReplicaCountProvider
{
    public static readonly DateTimeOffset Time = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public LedgerCluster(int replicas, string ledgerId = "pi-demo-01")
    {
        LedgerId = ledgerId;
        Replicas = [.. Enumerable.Range(0, replicas).Select(i => new TestReplica(State, ledgerId, i))];
    }

    public string LedgerId { get; }

    public InMemoryActorStateStore State { get; } = new();

    public TestReplica[] Replicas { get; }

    public ReplicatedLedgerStore CreateStore(TimeSpan? replicaTimeout = null) =>
        new(this, this, Options.Create(new LedgerReplicationOptions
        {
            Replicas = Replicas.Length,
            ReplicaTimeout = replicaTimeout ?? TimeSpan.FromSeconds(2),
            PageSize = 2, // small pages, so that reads and repairs of a few blocks already take several calls
        }));

    public static LedgerEntry Accepted() => LedgerEntry.JobAccepted("pi-demo", "montecarlo-pi", Hash256.OfUtf8("spec"));

    public static LedgerEntry Shard(int shard, int attempt = 1) =>
        LedgerEntry.ShardCompleted(shard, attempt, "worker-a", Hash256.OfUtf8($"hits={shard}"), TimeSpan.FromMilliseconds(1500));

    /// <summary>Appends JobAccepted then one ShardCompleted per block.</summary>
    public static async Task<LedgerHead> WriteAsync(ILedgerStore store, string ledgerId, int fromShard, int blocks)
    {
        var writer = new LedgerWriter(store);
        LedgerHead head = null!;
        for (var i = 0; i < blocks; i++)
        {
            var shard = fromShard + i;
            LedgerEntry entry = shard < 0 ? Accepted() : Shard(shard);
            head = (await writer.AppendAsync(ledgerId, [entry], Time.AddSeconds(shard + 1))).Head;
        }

        return head;
    }

    /// <summary>The replica's chain as stored, read straight from its actor.</summary>
    public async Task<LedgerChain> ChainOfAsync(int replica)
    {
        var page = await Replicas[replica].ReadBlocksAsync(new LedgerReadRequest(0, 1000), CancellationToken.None);
        return new LedgerChain(LedgerId, page.Blocks.Select(b => b.ToBlock()));
    }

    ILedgerReplica ILedgerReplicaFactory.Create(string ledgerId, int replicaIndex) => Replicas[replicaIndex];

    ValueTask<int> ILedgerReplicaCountProvider.GetReplicaCountAsync(string ledgerId, CancellationToken cancellationToken) => ValueTask.FromResult(Replicas.Length);
}
