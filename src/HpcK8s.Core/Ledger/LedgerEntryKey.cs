namespace HpcK8s.Core.Ledger;

/// <summary>The idempotency key of an entry within one ledger (the ledger id is the job): kind, shard and attempt.
/// For kinds other than <see cref="LedgerEntryKind.ShardCompleted"/> shard and attempt are 0, so a ledger holds at most
/// one JobAccepted, one JobCompleted and one JobFailed.</summary>
/// <param name="Kind">The entry kind.</param>
/// <param name="Shard">Shard index (ShardCompleted only, else 0).</param>
/// <param name="Attempt">Attempt number (ShardCompleted only, else 0).</param>
public readonly record struct LedgerEntryKey(LedgerEntryKind Kind, int Shard, int Attempt)
{
    /// <inheritdoc />
    public override string ToString() =>
        Kind == LedgerEntryKind.ShardCompleted ? $"{Kind}(shard {Shard}, attempt {Attempt})" : Kind.ToString();
}
