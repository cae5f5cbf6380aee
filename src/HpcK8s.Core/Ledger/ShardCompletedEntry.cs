namespace HpcK8s.Core.Ledger;

/// <summary>One attempt of one shard finished. Canonical form:
/// <c>u8(2) ‖ u64(shard) ‖ u64(attempt) ‖ str(worker) ‖ hash(resultDigest) ‖ u64(durationMicroseconds)</c>.</summary>
public sealed record ShardCompletedEntry : LedgerEntry
{
    /// <summary>Creates the entry.</summary>
    /// <param name="shard">Shard index from 0.</param>
    /// <param name="attempt">Attempt number, 0 or more.</param>
    /// <param name="worker">The worker that ran it.</param>
    /// <param name="resultDigest">SHA-256 of the shard result.</param>
    /// <param name="durationMicroseconds">Duration in whole microseconds, 0 or more.</param>
    public ShardCompletedEntry(int shard, int attempt, string worker, Hash256 resultDigest, long durationMicroseconds)
    {
        Shard = RequireNonNegative(shard, nameof(shard));
        Attempt = RequireNonNegative(attempt, nameof(attempt));
        Worker = RequireText(worker, nameof(worker));
        ResultDigest = resultDigest;
        DurationMicroseconds = durationMicroseconds >= 0
            ? durationMicroseconds
            : throw new ArgumentOutOfRangeException(nameof(durationMicroseconds), durationMicroseconds, "duration must be 0 or more");
    }

    /// <inheritdoc />
    public override LedgerEntryKind Kind => LedgerEntryKind.ShardCompleted;

    /// <inheritdoc />
    public override LedgerEntryKey Key => new(Kind, Shard, Attempt);

    /// <summary>Shard index from 0.</summary>
    public int Shard { get; }

    /// <summary>Attempt number.</summary>
    public int Attempt { get; }

    /// <summary>The worker that ran the attempt.</summary>
    public string Worker { get; }

    /// <summary>SHA-256 of the shard result; the leaf of the JobCompleted shards tree at index <see cref="Shard"/>.</summary>
    public Hash256 ResultDigest { get; }

    /// <summary>Duration in whole microseconds.</summary>
    public long DurationMicroseconds { get; }

    /// <summary>Duration as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromMicroseconds(DurationMicroseconds);

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteUInt64((ulong)Shard);
        writer.WriteUInt64((ulong)Attempt);
        writer.WriteString(Worker);
        writer.WriteHash(ResultDigest);
        writer.WriteUInt64((ulong)DurationMicroseconds);
    }
}
