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
        canonicalBytes = 0;
        var leaves = entries.Count <= 256 ? stackalloc Hash256[entries.Count] : new Hash256[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            writer.Reset();
            writer.WriteByte(MerkleTree.LeafPrefix);
            entries[i].WriteCanonical(writer);
            canonicalBytes += writer.Length - 1;
            leaves[i] = Sha256.Hash(writer.Written);
        }

        return MerkleTree.ComputeRoot(leaves);
    }
}
