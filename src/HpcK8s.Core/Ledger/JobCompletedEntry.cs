namespace HpcK8s.Core.Ledger;

/// <summary>The job finished. Canonical form:
/// <c>u8(3) ‖ hash(resultDigest) ‖ str(result) ‖ u64(shardCount) ‖ hash(shardsRoot)</c>.</summary>
/// <remarks>Verification checks that <see cref="ResultDigest"/> is SHA-256 of the UTF-8 result and that
/// <see cref="ShardsRoot"/> is the Merkle root over the result digests of the first ShardCompleted entry of each shard
/// 0 … <see cref="ShardCount"/>−1, in shard order.</remarks>
public sealed record JobCompletedEntry : LedgerEntry
{
    /// <summary>Creates the entry from its recorded fields (use <see cref="LedgerEntry.JobCompleted"/> to compute them).</summary>
    /// <param name="resultDigest">SHA-256 of the UTF-8 result.</param>
    /// <param name="result">The result as text.</param>
    /// <param name="shardCount">Number of shards.</param>
    /// <param name="shardsRoot">Merkle root over the shard result digests in shard order.</param>
    public JobCompletedEntry(Hash256 resultDigest, string result, int shardCount, Hash256 shardsRoot)
    {
        ResultDigest = resultDigest;
        Result = RequireText(result, nameof(result));
        ShardCount = RequireNonNegative(shardCount, nameof(shardCount));
        ShardsRoot = shardsRoot;
    }

    /// <inheritdoc />
    public override LedgerEntryKind Kind => LedgerEntryKind.JobCompleted;

    /// <summary>SHA-256 of the UTF-8 result.</summary>
    public Hash256 ResultDigest { get; }

    /// <summary>The result as text.</summary>
    public string Result { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount { get; }

    /// <summary>Merkle root over the shard result digests in shard order.</summary>
    public Hash256 ShardsRoot { get; }

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteHash(ResultDigest);
        writer.WriteString(Result);
        writer.WriteUInt64((ulong)ShardCount);
        writer.WriteHash(ShardsRoot);
    }
}
