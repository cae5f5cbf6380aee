namespace HpcK8s.Dapr.Ledger;

/// <summary>How many replicas a ledger has: the job's <c>spec.ledger.replicas</c>. The default provider answers
/// <see cref="LedgerReplicationOptions.Replicas"/> for every ledger; the worker host can replace it with one that reads
/// the job's spec.</summary>
/// <remarks>The count must not change during a ledger's life: quorums are computed from it.</remarks>
public interface ILedgerReplicaCountProvider
{
    /// <summary>The replica count of <paramref name="ledgerId"/> (1 to 7).</summary>
    /// <param name="ledgerId">The ledger (job) id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The count.</returns>
    ValueTask<int> GetReplicaCountAsync(string ledgerId, CancellationToken cancellationToken);
}
