using Dapr.Actors.Client;

namespace HpcK8s.Dapr.Ledger;

/// <summary>One replica over a non-remoting <see cref="ActorProxy"/>.</summary>
internal sealed class DaprLedgerReplica(int index, ActorProxy proxy) : ILedgerReplica
{
    public int Index => index;

    public Task<LedgerReplicaHead> GetHeadAsync(CancellationToken cancellationToken) =>
        proxy.InvokeMethodAsync<LedgerReplicaHead>(nameof(ILedgerActor.GetHeadAsync), cancellationToken);

    public Task<LedgerReplicaReply> AppendAsync(LedgerBlockData block, CancellationToken cancellationToken) =>
        proxy.InvokeMethodAsync<LedgerBlockData, LedgerReplicaReply>(nameof(ILedgerActor.AppendAsync), block, cancellationToken);

    public Task<LedgerBlockPage> ReadBlocksAsync(LedgerReadRequest request, CancellationToken cancellationToken) =>
        proxy.InvokeMethodAsync<LedgerReadRequest, LedgerBlockPage>(nameof(ILedgerActor.ReadBlocksAsync), request, cancellationToken);

    public Task<LedgerFindReply> FindEntriesAsync(LedgerFindRequest request, CancellationToken cancellationToken) =>
        proxy.InvokeMethodAsync<LedgerFindRequest, LedgerFindReply>(nameof(ILedgerActor.FindEntriesAsync), request, cancellationToken);

    public Task<LedgerReplicaReply> RepairAsync(LedgerRepairRequest request, CancellationToken cancellationToken) =>
        proxy.InvokeMethodAsync<LedgerRepairRequest, LedgerReplicaReply>(nameof(ILedgerActor.RepairAsync), request, cancellationToken);
}
