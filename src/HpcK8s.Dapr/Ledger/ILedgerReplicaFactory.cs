namespace HpcK8s.Dapr.Ledger;

/// <summary>Makes handles on the replicas of a ledger.</summary>
public interface ILedgerReplicaFactory
{
    /// <summary>The handle on replica <paramref name="replicaIndex"/> of <paramref name="ledgerId"/> (cheap; no call is made).</summary>
    /// <param name="ledgerId">The ledger (job) id.</param>
    /// <param name="replicaIndex">0 … replicas − 1.</param>
    /// <returns>The handle.</returns>
    ILedgerReplica Create(string ledgerId, int replicaIndex);
}
