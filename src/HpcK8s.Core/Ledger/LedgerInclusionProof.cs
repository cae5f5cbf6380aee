using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Core.Ledger;

/// <summary>Proof that one entry is in a ledger whose head hash you trust: the entry's Merkle path to its block's
/// entries root, that block's header, and the block hash's Merkle path to the head's blocks root.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Index">The entry's index within its block.</param>
/// <param name="Block">The header of the block holding the entry.</param>
/// <param name="EntryPath">Sibling hashes from the entry's leaf up to <see cref="BlockHeader.EntriesRoot"/>.</param>
/// <param name="Head">The head block's header (the same as <paramref name="Block"/> when the entry is in the head block).</param>
/// <param name="BlockPath">Sibling hashes from the block's leaf up to the head's <see cref="BlockHeader.BlocksRoot"/>
/// (tree of blocks 0 … head height − 1); empty when the entry is in the head block.</param>
public sealed record LedgerInclusionProof(
    LedgerEntry Entry, int Index, BlockHeader Block, IReadOnlyList<Hash256> EntryPath, BlockHeader Head, IReadOnlyList<Hash256> BlockPath)
{
    /// <summary>Where the entry sits.</summary>
    public LedgerEntryPosition Position => new(Block.Height, Index);

    /// <summary>Checks the proof against a head hash obtained independently (job status, a signed head, a digest).</summary>
    /// <param name="trustedHead">The head hash you trust.</param>
    /// <param name="reason">Why it fails, when it does.</param>
    /// <returns>Whether the entry is proven to be in that ledger at <see cref="Position"/>.</returns>
    public bool Verify(Hash256 trustedHead, [NotNullWhen(false)] out string? reason)
    {
        reason = Check(trustedHead);
        return reason is null;
    }

    private string? Check(Hash256 trustedHead)
    {
        ArgumentNullException.ThrowIfNull(Entry);
        var headHash = Head.ComputeHash();
        if (headHash != trustedHead)
        {
            return $"the head header hashes to {headHash}, not the trusted head {trustedHead}";
        }

        if (Block.LedgerId != Head.LedgerId)
        {
            return $"the block belongs to ledger '{Block.LedgerId}', the head to '{Head.LedgerId}'";
        }

        if (!MerkleTree.VerifyInclusion(Entry.ComputeLeafHash(), Index, Block.EntryCount, EntryPath, Block.EntriesRoot))
        {
            return $"entry {Index} is not under block {Block.Height}'s entries root";
        }

        var blockHash = Block.ComputeHash();
        if (Block.Height == Head.Height)
        {
            return blockHash == headHash && BlockPath.Count == 0 ? null : $"block {Block.Height} is claimed to be the head but is not";
        }

        return Block.Height < Head.Height
            && MerkleTree.VerifyInclusion(MerkleTree.HashLeaf(blockHash), Block.Height, Head.Height, BlockPath, Head.BlocksRoot)
            ? null
            : $"block {Block.Height} is not under the blocks root of head block {Head.Height}";
    }
}
