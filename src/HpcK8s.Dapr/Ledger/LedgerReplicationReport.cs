using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>The outcome of cross-checking a ledger's replicas: the majority's head and how each replica compared.</summary>
/// <param name="LedgerId">The ledger id.</param>
/// <param name="ReplicaCount">Replicas the ledger has.</param>
/// <param name="Quorum">Replicas that must agree (a majority).</param>
/// <param name="Head">The majority's head.</param>
/// <param name="Replicas">Each replica, by index.</param>
public sealed record LedgerReplicationReport(string LedgerId, int ReplicaCount, int Quorum, LedgerHead Head, IReadOnlyList<LedgerReplicaState> Replicas)
{
    /// <summary>Whether any replica differed from the majority or did not answer.</summary>
    public bool HasDisagreement => Replicas.Any(r => r.Condition != LedgerReplicaCondition.InSync);

    /// <inheritdoc />
    public override string ToString() =>
        $"ledger {LedgerId}: head {Head.Height} {Head.Hash}; {string.Join("; ", Replicas)}";
}
