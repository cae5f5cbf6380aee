namespace HpcK8s.Core.Ledger;

/// <summary>A block as stored or exported: header, entries, the hash recorded for it, and an optional Ed25519
/// signature over that hash. Nothing here is trusted until <see cref="LedgerVerifier"/> has checked it.</summary>
public sealed class LedgerBlock
{
    // Set only by FromCanonicalEntries: the entries' canonical bytes as the store kept them, each preceded by the
    // Merkle leaf prefix and laid out back to back (message i ends at _leafEnds[i]), so that verification hashes
    // exactly the stored bytes, with no re-encoding and no copying. Entries was decoded from these same bytes.
    private readonly byte[]? _leafData;
    private readonly int[]? _leafEnds;

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

    private LedgerBlock(BlockHeader header, IReadOnlyList<LedgerEntry> entries, Hash256 hash, ReadOnlyMemory<byte> signature, byte[]? leafData, int[]? leafEnds)
        : this(header, entries, hash, signature)
    {
        _leafData = leafData;
        _leafEnds = leafEnds;
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
    public LedgerBlock WithSignature(ReadOnlyMemory<byte> signature) => new(Header, Entries, Hash, signature, _leafData, _leafEnds);

    /// <summary>Creates a block from its entries' canonical bytes, as stores keep them. The entries are decoded from
    /// those bytes, and the block keeps a copy of them so that <see cref="LedgerVerifier"/> hashes the bytes exactly
    /// as stored instead of re-encoding every entry.</summary>
    /// <param name="header">The header.</param>
    /// <param name="canonicalEntries">Each entry's canonical bytes (docs/ledger-format.md §2), in order.</param>
    /// <param name="hash">The block hash as recorded (verification recomputes it).</param>
    /// <param name="signature">64-byte Ed25519 signature over the block hash, or empty when unsigned.</param>
    /// <returns>The block.</returns>
    /// <exception cref="LedgerFormatException">When some entry's bytes are not exactly one entry.</exception>
    /// <remarks>Decoding is strict and re-encoding a decoded entry gives back the same bytes, so the bytes hashed are
    /// the bytes <see cref="Entries"/> stand for. The copy costs about one byte per canonical byte, held as long as
    /// the block is.</remarks>
    public static LedgerBlock FromCanonicalEntries(
        BlockHeader header, IReadOnlyList<ReadOnlyMemory<byte>> canonicalEntries, Hash256 hash, ReadOnlyMemory<byte> signature = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(canonicalEntries);
        var total = 0;
        foreach (var bytes in canonicalEntries)
        {
            total = checked(total + 1 + bytes.Length);
        }

        var data = new byte[total];
        var ends = new int[canonicalEntries.Count];
        var entries = new LedgerEntry[canonicalEntries.Count];
        var position = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var bytes = canonicalEntries[i].Span;
            entries[i] = LedgerEntry.FromCanonicalBytes(bytes);
            data[position++] = MerkleTree.LeafPrefix;
            bytes.CopyTo(data.AsSpan(position));
            position += bytes.Length;
            ends[i] = position;
        }

        return new LedgerBlock(header, entries, hash, signature, data, ends);
    }

    /// <summary>Whether the block holds its entries' canonical bytes as stored (<see cref="FromCanonicalEntries"/>).</summary>
    internal bool HasCanonicalEntries => _leafData is not null;

    /// <summary>The stored canonical bytes of entry <paramref name="index"/> (only when <see cref="HasCanonicalEntries"/>).</summary>
    internal ReadOnlySpan<byte> StoredCanonicalEntry(int index)
    {
        var start = index == 0 ? 0 : _leafEnds![index - 1];
        return _leafData.AsSpan(start + 1, _leafEnds![index] - start - 1);
    }

    /// <summary>Leaf hashes of all entries: of the stored bytes when the block has them, else of each entry re-encoded.</summary>
    /// <param name="writer">Scratch for re-encoding.</param>
    /// <param name="ends">Scratch of at least <c>min(Entries.Count, LeafChunk)</c> ints.</param>
    /// <param name="leaves">Receives one hash per entry.</param>
    /// <returns>The number of canonical entry bytes (without the leaf prefixes).</returns>
    internal long ComputeLeafHashes(CanonicalWriter writer, Span<int> ends, Span<Hash256> leaves)
    {
        if (_leafData is null)
        {
            return ComputeLeafHashes(Entries, writer, ends, leaves);
        }

        Sha256Batch.Hash(_leafData, _leafEnds, leaves);
        return _leafData.Length - _leafEnds!.Length;
    }

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
