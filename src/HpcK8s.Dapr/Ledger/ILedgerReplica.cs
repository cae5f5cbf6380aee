namespace HpcK8s.Dapr.Ledger;

/// <summary>The store's handle on one replica: the calls of <see cref="ILedgerActor"/>, cancellable by the caller.
/// <see cref="DaprLedgerReplicaFactory"/> makes them over Dapr actor proxies; tests inject replicas that are down, slow
/// or corrupt.</summary>
public interface ILedgerReplica
{
    /// <summary>The replica's index (0 … replicas − 1).</summary>
    int Index { get; }

    /// <summary>See <see cref="ILedgerActor.GetHeadAsync"/>.</summary>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The head.</returns>
    Task<LedgerReplicaHead> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>See <see cref="ILedgerActor.AppendAsync"/>.</summary>
    /// <param name="block">The block.</param>
    /// <param name="cancellationToken">Abandons the call (the replica may still append).</param>
    /// <returns>The reply.</returns>
    Task<LedgerReplicaReply> AppendAsync(LedgerBlockData block, CancellationToken cancellationToken);

    /// <summary>See <see cref="ILedgerActor.ReadBlocksAsync"/>.</summary>
    /// <param name="request">The page.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The blocks.</returns>
    Task<LedgerBlockPage> ReadBlocksAsync(LedgerReadRequest request, CancellationToken cancellationToken);

    /// <summary>See <see cref="ILedgerActor.FindEntriesAsync"/>.</summary>
    /// <param name="request">The keys.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The positions.</returns>
    Task<LedgerFindReply> FindEntriesAsync(LedgerFindRequest request, CancellationToken cancellationToken);

    /// <summary>See <see cref="ILedgerActor.RepairAsync"/>.</summary>
    /// <param name="request">The repair.</param>
    /// <param name="cancellationToken">Abandons the call (the replica may still repair).</param>
    /// <returns>The reply.</returns>
    Task<LedgerReplicaReply> RepairAsync(LedgerRepairRequest request, CancellationToken cancellationToken);
}
