using System.Text.Json.Serialization;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>One block as a replica stores it and as it travels between the store and the actors: the canonical
/// header bytes, the canonical bytes of each entry, the recorded hash and the optional signature.</summary>
/// <remarks>Canonical bytes (docs/ledger-format.md) rather than JSON fields, so that what is kept is exactly what is
/// hashed; nothing here is trusted until <see cref="LedgerVerifier"/> has checked the chain it belongs to.</remarks>
/// <param name="Header">The canonical header (base64 in JSON).</param>
/// <param name="Entries">The canonical entries, in order (base64 each).</param>
/// <param name="Hash">The block hash as recorded, <c>sha256:</c> + 64 lowercase hex digits.</param>
/// <param name="Signature">The 64-byte Ed25519 signature, or null when unsigned.</param>
public sealed record LedgerBlockData(
    [property: JsonPropertyName("header")] byte[] Header,
    [property: JsonPropertyName("entries")] IReadOnlyList<byte[]> Entries,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("signature")] byte[]? Signature = null)
{
    /// <summary>The wire form of a block.</summary>
    /// <param name="block">The block.</param>
    /// <returns>The data.</returns>
    public static LedgerBlockData From(LedgerBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new LedgerBlockData(
            block.Header.ToCanonicalBytes(),
            [.. block.Entries.Select(e => e.ToCanonicalBytes())],
            block.Hash.ToString(),
            block.Signature.IsEmpty ? null : block.Signature.ToArray());
    }

    /// <summary>Decodes the block (structure only; hashes are checked by the verifier).</summary>
    /// <returns>The block.</returns>
    /// <exception cref="LedgerFormatException">When a field is missing or not in canonical form.</exception>
    public LedgerBlock ToBlock()
    {
        if (Header is null || Entries is null || Hash is null)
        {
            throw new LedgerFormatException("block data is missing its header, entries or hash");
        }

        if (!Hash256.TryParse(Hash, out var hash))
        {
            throw new LedgerFormatException($"block hash '{Hash}' is not sha256: followed by 64 lowercase hex digits");
        }

        var header = BlockHeader.FromCanonicalBytes(Header);
        var entries = new LedgerEntry[Entries.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = LedgerEntry.FromCanonicalBytes(Entries[i] ?? throw new LedgerFormatException($"block {header.Height}: entry {i} is null"));
        }

        return new LedgerBlock(header, entries, hash, Signature ?? ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Whether <paramref name="other"/> holds exactly the same bytes (records compare arrays by reference).</summary>
    /// <param name="other">The other block.</param>
    /// <returns>Whether every byte is equal.</returns>
    public bool SameBytesAs(LedgerBlockData other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Hash == other.Hash
            && Header.AsSpan().SequenceEqual(other.Header)
            && (Signature ?? []).AsSpan().SequenceEqual(other.Signature ?? [])
            && Entries.Count == other.Entries.Count
            && Entries.Zip(other.Entries).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }
}
