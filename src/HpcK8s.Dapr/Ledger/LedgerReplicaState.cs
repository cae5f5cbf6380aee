namespace HpcK8s.Dapr.Ledger;

/// <summary>One replica in a <see cref="LedgerReplicationReport"/> or a <see cref="LedgerQuorumException"/>.</summary>
/// <param name="Index">The replica index.</param>
/// <param name="Condition">How it compared (before any repair).</param>
/// <param name="Height">Its stored head height (−1 when empty or unknown).</param>
/// <param name="Detail">What it said or what was wrong, for people.</param>
/// <param name="Repaired">Whether the store brought it to the majority's chain.</param>
public sealed record LedgerReplicaState(int Index, LedgerReplicaCondition Condition, long Height, string Detail, bool Repaired = false)
{
    /// <inheritdoc />
    public override string ToString() => $"replica {Index}: {Condition} at height {Height}{(Repaired ? ", repaired" : string.Empty)} ({Detail})";
}
