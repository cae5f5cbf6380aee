namespace HpcK8s.Core.Ledger;

/// <summary>Builds the next block: computes the entries root, links to the head and the block-hash tree, hashes the
/// header and optionally signs it. Pure: no clock, no I/O.</summary>
public static class LedgerBlockBuilder
{
    /// <summary>Builds the block that follows <paramref name="head"/>.</summary>
    /// <param name="head">The current head (use <see cref="LedgerHead.Empty"/> for a new ledger).</param>
    /// <param name="entries">One or more entries.</param>
    /// <param name="time">The time to record (the caller's clock; workflows pass their deterministic time).</param>
    /// <param name="signer">Signs the block hash when given.</param>
    /// <returns>The block; <c>head.Advance(block)</c> gives the new head.</returns>
    public static LedgerBlock Build(LedgerHead head, IReadOnlyList<LedgerEntry> entries, DateTimeOffset time, LedgerSigningKey? signer = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("a block needs at least one entry", nameof(entries));
        }

        var header = new BlockHeader(
            head.LedgerId,
            head.Height + 1,
            head.Hash,
            head.BlocksRoot,
            LedgerBlock.ComputeEntriesRoot(entries),
            entries.Count,
            BlockHeader.FormatTime(time));
        var hash = header.ComputeHash();
        return new LedgerBlock(header, [.. entries], hash, signer is null ? default : signer.Sign(hash));
    }
}
