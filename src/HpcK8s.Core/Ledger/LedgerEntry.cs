namespace HpcK8s.Core.Ledger;

/// <summary>One ledger entry. Create entries with the static factories; the concrete types are
/// <see cref="JobAcceptedEntry"/>, <see cref="ShardCompletedEntry"/>, <see cref="JobCompletedEntry"/> and
/// <see cref="JobFailedEntry"/>.</summary>
/// <remarks>An entry's identity is its canonical encoding (<see cref="ToCanonicalBytes"/>); its Merkle leaf hash is
/// SHA-256(0x00 ‖ canonical bytes). Strings must be valid Unicode (no lone surrogates).</remarks>
public abstract record LedgerEntry
{
    private protected LedgerEntry()
    {
    }

    /// <summary>The entry kind (its first canonical byte).</summary>
    public abstract LedgerEntryKind Kind { get; }

    /// <summary>The idempotency key: appending an entry whose key is already in the ledger is a no-op.</summary>
    public virtual LedgerEntryKey Key => new(Kind, 0, 0);

    /// <summary>A JobAccepted entry.</summary>
    /// <param name="jobName">The job's name.</param>
    /// <param name="kernel">The kernel's name.</param>
    /// <param name="specDigest">SHA-256 of the job spec as submitted.</param>
    /// <returns>The entry.</returns>
    public static JobAcceptedEntry JobAccepted(string jobName, string kernel, Hash256 specDigest) => new(jobName, kernel, specDigest);

    /// <summary>A ShardCompleted entry.</summary>
    /// <param name="shard">Shard index from 0.</param>
    /// <param name="attempt">Attempt number (as the engine counts them, e.g. from 1).</param>
    /// <param name="worker">The worker (pod or host) that ran it.</param>
    /// <param name="resultDigest">SHA-256 of the shard's result bytes (e.g. <see cref="Hash256.OfUtf8"/> of its text).</param>
    /// <param name="duration">How long the attempt took; recorded in whole microseconds.</param>
    /// <returns>The entry.</returns>
    public static ShardCompletedEntry ShardCompleted(int shard, int attempt, string worker, Hash256 resultDigest, TimeSpan duration) =>
        new(shard, attempt, worker, resultDigest, checked((long)duration.TotalMicroseconds));

    /// <summary>A JobCompleted entry whose shards root is computed from <paramref name="shardResultDigests"/> in shard order.
    /// <see cref="LedgerWriter.CompleteJobAsync"/> builds this from the ledger itself, which is usually what you want.</summary>
    /// <param name="result">The job's result as text; its digest is SHA-256 of its UTF-8 bytes.</param>
    /// <param name="shardResultDigests">Each shard's result digest, index = shard.</param>
    /// <returns>The entry.</returns>
    public static JobCompletedEntry JobCompleted(string result, IReadOnlyList<Hash256> shardResultDigests)
    {
        ArgumentNullException.ThrowIfNull(shardResultDigests);
        var leaves = new Hash256[shardResultDigests.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = MerkleTree.HashLeaf(shardResultDigests[i]);
        }

        return new JobCompletedEntry(Hash256.OfUtf8(result), result, leaves.Length, MerkleTree.ComputeRoot(leaves));
    }

    /// <summary>A JobFailed entry.</summary>
    /// <param name="reason">Why the job failed.</param>
    /// <returns>The entry.</returns>
    public static JobFailedEntry JobFailed(string reason) => new(reason);

    /// <summary>The canonical bytes of this entry (see docs/ledger-format.md).</summary>
    /// <returns>A new array.</returns>
    public byte[] ToCanonicalBytes()
    {
        var writer = new CanonicalWriter();
        WriteCanonical(writer);
        return writer.ToArray();
    }

    /// <summary>The Merkle leaf hash: SHA-256(0x00 ‖ canonical bytes).</summary>
    /// <returns>The leaf hash.</returns>
    public Hash256 ComputeLeafHash()
    {
        var writer = new CanonicalWriter();
        writer.WriteByte(MerkleTree.LeafPrefix);
        WriteCanonical(writer);
        return Sha256.Hash(writer.Written);
    }

    /// <summary>Decodes an entry from its canonical bytes; the bytes must be exactly one entry.</summary>
    /// <param name="bytes">Canonical bytes.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="LedgerFormatException">When the bytes are not exactly one entry.</exception>
    public static LedgerEntry FromCanonicalBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var kind = (LedgerEntryKind)reader.ReadByte();
        LedgerEntry entry;
        try
        {
            entry = kind switch
            {
                LedgerEntryKind.JobAccepted => new JobAcceptedEntry(reader.ReadString(), reader.ReadString(), reader.ReadHash()),
                LedgerEntryKind.ShardCompleted => new ShardCompletedEntry(
                    reader.ReadInt32("shard"), reader.ReadInt32("attempt"), reader.ReadString(), reader.ReadHash(), checked((long)reader.ReadUInt64())),
                LedgerEntryKind.JobCompleted => new JobCompletedEntry(reader.ReadHash(), reader.ReadString(), reader.ReadInt32("shardCount"), reader.ReadHash()),
                LedgerEntryKind.JobFailed => new JobFailedEntry(reader.ReadString()),
                _ => throw new LedgerFormatException($"unknown entry kind byte {(byte)kind}"),
            };
        }
        catch (ArgumentException error)
        {
            throw new LedgerFormatException(error.Message, error);
        }
        catch (OverflowException error)
        {
            throw new LedgerFormatException("durationMicroseconds is out of range", error);
        }

        if (!reader.AtEnd)
        {
            throw new LedgerFormatException($"{kind} entry has trailing bytes");
        }

        return entry;
    }

    /// <summary>Writes the kind byte and the fields.</summary>
    internal abstract void WriteCanonical(CanonicalWriter writer);

    private protected static string RequireText(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        try
        {
            CanonicalWriter.StrictUtf8.GetByteCount(value);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"{name} is not valid Unicode (lone surrogate)", name, error);
        }

        return value;
    }

    private protected static int RequireNonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 or more");
}
