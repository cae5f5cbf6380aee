using Dapr.Actors;

namespace HpcK8s.Dapr.Ledger;

/// <summary>One replica of one job's ledger, as a Dapr actor (id from <see cref="LedgerActorIds"/>).</summary>
/// <remarks>
/// Every method takes at most one record and returns one record, because daprd reaches the app through the SDK's
/// non-remoting dispatch (<c>PUT /actors/LedgerActor/{id}/method/{method}</c> with a JSON body), which passes exactly
/// one argument. For the same reason there is no <see cref="CancellationToken"/> parameter: a call is bounded by the
/// caller's timeout on the proxy, and the actor's turn always finishes or fails as a whole.
/// Outcomes travel in the reply (<see cref="LedgerReplicaOutcome"/>), not as exceptions, so that a refusal reads the
/// same over HTTP as in process.
/// </remarks>
public interface ILedgerActor : IActor
{
    /// <summary>The replica's stored head (not verified).</summary>
    /// <returns>The head.</returns>
    Task<LedgerReplicaHead> GetHeadAsync();

    /// <summary>Appends the block that follows the head. Refuses a block whose height is not head + 1 or whose previous
    /// hash is not the head hash (no forks); accepts the identical block again without writing (idempotent). The chain
    /// with the block must verify. The reply is sent after the block and the new head are saved in one transaction.</summary>
    /// <param name="block">The next block.</param>
    /// <returns>What happened.</returns>
    Task<LedgerReplicaReply> AppendAsync(LedgerBlockData block);

    /// <summary>A page of stored blocks as they are in state (the caller verifies them).</summary>
    /// <param name="request">From which height, how many.</param>
    /// <returns>The blocks and the head.</returns>
    Task<LedgerBlockPage> ReadBlocksAsync(LedgerReadRequest request);

    /// <summary>Positions of entries with the given keys in the replica's verified chain.</summary>
    /// <param name="request">The keys.</param>
    /// <returns>The found keys and the head they were found at.</returns>
    Task<LedgerFindReply> FindEntriesAsync(LedgerFindRequest request);

    /// <summary>Replaces the chain from a height with blocks supplied by the caller (the majority's), after verifying
    /// the kept prefix plus the supplied blocks as one chain; removes stored blocks beyond the new head.</summary>
    /// <param name="request">The height and the blocks.</param>
    /// <returns>What happened.</returns>
    Task<LedgerReplicaReply> RepairAsync(LedgerRepairRequest request);
}
