using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Core.Ledger;

/// <summary>Proof that a ledger you saw at an old head is a prefix of the ledger at a new head: the old head hash is
/// leaf <c>OldHeight</c> of the tree over block hashes committed to by the new head's blocks root. Because every block
/// hash also commits to its predecessor, this fixes all of blocks 0 … OldHeight. Size: O(log n) hashes.</summary>
/// <param name="OldHeight">Height of the old head.</param>
/// <param name="OldHead">Hash of the old head block.</param>
/// <param name="NewHead">The new head block's header.</param>
/// <param name="Path">Sibling hashes from the old head's leaf up to the new head's blocks root; empty when the heights are equal.</param>
public sealed record LedgerConsistencyProof(long OldHeight, Hash256 OldHead, BlockHeader NewHead, IReadOnlyList<Hash256> Path)
{
    /// <summary>Checks the proof against the two head hashes you trust.</summary>
    /// <param name="trustedOldHead">The old head hash you saw before.</param>
    /// <param name="trustedNewHead">The new head hash you trust now.</param>
    /// <param name="reason">Why it fails, when it does.</param>
    /// <returns>Whether the new ledger extends the old one.</returns>
    public bool Verify(Hash256 trustedOldHead, Hash256 trustedNewHead, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(NewHead);
        var newHash = NewHead.ComputeHash();
        reason = OldHead != trustedOldHead ? "the proof is for a different old head"
            : newHash != trustedNewHead ? $"the new head header hashes to {newHash}, not the trusted new head"
            : OldHeight == NewHead.Height ? (OldHead == newHash && Path.Count == 0 ? null : "same height but different heads: the ledger was rewritten")
            : OldHeight > NewHead.Height ? $"old height {OldHeight} is past the new head's height {NewHead.Height}"
            : MerkleTree.VerifyInclusion(MerkleTree.HashLeaf(OldHead), OldHeight, NewHead.Height, Path, NewHead.BlocksRoot) ? null
            : $"block {OldHeight} of the new ledger is not the old head: the ledger was rewritten";
        return reason is null;
    }
}
