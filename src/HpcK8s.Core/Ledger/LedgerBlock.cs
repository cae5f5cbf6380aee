namespace HpcK8s.Core.Ledger;

/// <summary>A block as stored or exported: header, entries, the hash recorded for it, and an optional Ed25519
/// signature over that hash. Nothing here is trusted until <see cref="LedgerVerifier"/> has checked it.</summary>
public sealed class LedgerBlock
{
    /// <summary>Creates a block from its parts, as read from a store or an export.</summary>
    /// <param name="header">The header.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <param name="hash">The block hash as recorded (verification recomputes it).</param>
    /// <param name="signature">64-byte Ed25519 signature over the block hash, or empty when unsigned.</param>
    public LedgerBlock(BlockHeader header, IReadOnlyList<LedgerEntry> entries, Hash256 hash, ReadOnlyMemory<byte> signature = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        Header = header;
        Entries = entries;
        Hash = hash;
        Signature = signature;
    }

    /// <summary>The header.</summary>
    public BlockHeader Header { get; }

    /// <summary>The entries, in order.</summary>
    public IReadOnlyList<LedgerEntry> Entries { get; }

    /// <summary>The block hash as recorded.</summary>
    public Hash256 Hash { get; }

    /// <summary>Ed25519 signature over <see cref="Hash"/>, or empty.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The header's height.</summary>
    public long Height => Header.Height;

    /// <summary>The same block with a different signature (for stores that sign later, and for tests).</summary>
    /// <param name="signature">The new signature, or empty.</param>
    /// <returns>A new block.</returns>
    public LedgerBlock WithSignature(ReadOnlyMemory<byte> signature) => new(Header, Entries, Hash, signature);

    /// <summary>Merkle root over <paramref name="entries"/>' leaf hashes, reusing one buffer.</summary>
    /// <param name="entries">The entries.</param>
    /// <returns>The root.</returns>
    public static Hash256 ComputeEntriesRoot(IReadOnlyList<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return ComputeEntriesRoot(entries, new CanonicalWriter(), out _);
    }

    internal static Hash256 ComputeEntriesRoot(IReadOnlyList<LedgerEntry> entries, CanonicalWriter writer, out long canonicalBytes)
    {
        var leaves = entries.Count <= 256 ? stackalloc Hash256[entries.Count] : new Hash256[entries.Count];
        Span<int> ends = stackalloc int[LeafChunk];
        canonicalBytes = ComputeLeafHashes(entries, writer, ends, leaves);
        return MerkleTree.ComputeRoot(leaves);
    }

    /// <summary>Leaf hashes SHA-256(0x00 ‖ canonical entry) of all <paramref name="entries"/>, hashed in batches of
    /// <see cref="LeafChunk"/> whose canonical bytes are written back to back into <paramref name="writer"/>.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="writer">Scratch; holds at most one chunk, so memory stays bounded whatever the block size.</param>
    /// <param name="ends">Scratch of at least <c>min(entries.Count, LeafChunk)</c> ints.</param>
    /// <param name="leaves">Receives one hash per entry.</param>
    /// <returns>The number of canonical entry bytes (without the leaf prefixes).</returns>
    internal static long ComputeLeafHashes(IReadOnlyList<LedgerEntry> entries, CanonicalWriter writer, Span<int> ends, Span<Hash256> leaves)
    {
        long canonicalBytes = 0;
        for (var start = 0; start < entries.Count; start += LeafChunk)
        {
            var count = Math.Min(LeafChunk, entries.Count - start);
            writer.Reset();
            for (var i = 0; i < count; i++)
            {
                writer.WriteByte(MerkleTree.LeafPrefix);
                entries[start + i].WriteCanonical(writer);
                ends[i] = writer.Length;
            }

            canonicalBytes += writer.Length - count;
            Sha256Batch.Hash(writer.Written, ends[..count], leaves.Slice(start, count));
        }

        return canonicalBytes;
    }

    /// <summary>Entries whose leaves are hashed in one batch: enough to fill the SIMD lanes many times over, small
    /// enough (≈100 KB of canonical bytes) to stay in cache.</summary>
    internal const int LeafChunk = 1024;
}
