using System.Globalization;

namespace HpcK8s.Core.Ledger;

/// <summary>A block header. The block hash is SHA-256 of its canonical form:
/// <c>u8(0x02) ‖ str(ledgerId) ‖ u64(height) ‖ hash(previousHash) ‖ hash(blocksRoot) ‖ hash(entriesRoot) ‖
/// u64(entryCount) ‖ str(time)</c>.</summary>
/// <param name="LedgerId">The ledger (job) this block belongs to.</param>
/// <param name="Height">0 for the genesis block, then +1 per block.</param>
/// <param name="PreviousHash">Hash of block <c>Height − 1</c>; 32 zero bytes for the genesis block.</param>
/// <param name="BlocksRoot">Merkle root over the hashes of blocks 0 … Height−1 (the empty-tree root for genesis).</param>
/// <param name="EntriesRoot">Merkle root over this block's entries.</param>
/// <param name="EntryCount">Number of entries, at least 1.</param>
/// <param name="Time">When the block was written, RFC 3339 UTC text, exactly as recorded.</param>
public sealed record BlockHeader(
    string LedgerId, long Height, Hash256 PreviousHash, Hash256 BlocksRoot, Hash256 EntriesRoot, int EntryCount, string Time)
{
    /// <summary>The first byte of a canonical header (entries' leaves start 0x00 and nodes 0x01).</summary>
    public const byte HeaderPrefix = 0x02;

    /// <summary>Formats a time the way the writer records it: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC.</summary>
    /// <param name="time">The time.</param>
    /// <returns>RFC 3339 UTC text with milliseconds.</returns>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="time"/> is RFC 3339 UTC text (<c>Z</c> offset, optional fraction).</summary>
    /// <param name="time">The text.</param>
    /// <returns>Whether it parses.</returns>
    public static bool IsValidTime(string time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.Length >= 20 && time[^1] == 'Z' && time[10] == 'T'
            && DateTime.TryParseExact(time, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);
    }

    /// <summary>The canonical bytes that are hashed to give the block hash.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToCanonicalBytes()
    {
        var writer = new CanonicalWriter(128);
        WriteCanonical(writer);
        return writer.ToArray();
    }

    /// <summary>SHA-256 of the canonical header: the block hash.</summary>
    /// <returns>The block hash.</returns>
    public Hash256 ComputeHash()
    {
        var writer = new CanonicalWriter(128);
        WriteCanonical(writer);
        return Sha256.Hash(writer.Written);
    }

    /// <summary>Decodes a header from its canonical bytes (stores keep headers in this form).</summary>
    /// <param name="bytes">Exactly one canonical header.</param>
    /// <returns>The header.</returns>
    /// <exception cref="LedgerFormatException">When the bytes are not exactly one header.</exception>
    public static BlockHeader FromCanonicalBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        if (reader.ReadByte() != HeaderPrefix)
        {
            throw new LedgerFormatException("a canonical header starts with 0x02");
        }

        var ledgerId = reader.ReadString();
        var height = reader.ReadUInt64();
        var header = new BlockHeader(
            ledgerId,
            height <= long.MaxValue ? (long)height : throw new LedgerFormatException($"height {height} is out of range"),
            reader.ReadHash(),
            reader.ReadHash(),
            reader.ReadHash(),
            reader.ReadInt32("entryCount"),
            reader.ReadString());
        return reader.AtEnd ? header : throw new LedgerFormatException("header has trailing bytes");
    }

    internal void WriteCanonical(CanonicalWriter writer)
    {
        writer.WriteByte(HeaderPrefix);
        writer.WriteString(LedgerId);
        writer.WriteUInt64((ulong)Height);
        writer.WriteHash(PreviousHash);
        writer.WriteHash(BlocksRoot);
        writer.WriteHash(EntriesRoot);
        writer.WriteUInt64((ulong)EntryCount);
        writer.WriteString(Time);
    }
}
