namespace HpcK8s.Core.Ledger;

/// <summary>Where an entry sits: the block's height and the entry's index within the block (both from 0).</summary>
/// <param name="Height">Height of the block.</param>
/// <param name="Index">Index of the entry within the block.</param>
public readonly record struct LedgerEntryPosition(long Height, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"entry {Index} of block {Height}";
}
