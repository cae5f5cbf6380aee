using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Core.Ledger;

/// <summary>Proof that a shard's result went into the job's result: the ShardCompleted entry and the JobCompleted
/// entry are both in the ledger, and the shard's result digest is leaf <c>shard</c> of the JobCompleted shards root.</summary>
/// <param name="Shard">Inclusion of the (first) ShardCompleted entry of the shard.</param>
/// <param name="Completed">Inclusion of the JobCompleted entry.</param>
/// <param name="ShardPath">Sibling hashes from the shard's leaf up to <see cref="JobCompletedEntry.ShardsRoot"/>.</param>
public sealed record LedgerShardProof(LedgerInclusionProof Shard, LedgerInclusionProof Completed, IReadOnlyList<Hash256> ShardPath)
{
    /// <summary>Checks all three parts against a trusted head hash.</summary>
    /// <param name="trustedHead">The head hash you trust.</param>
    /// <param name="reason">Why it fails, when it does.</param>
    /// <returns>Whether the shard result is proven to be part of the job result.</returns>
    public bool Verify(Hash256 trustedHead, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(Shard);
        ArgumentNullException.ThrowIfNull(Completed);
        if (!Shard.Verify(trustedHead, out var why))
        {
            reason = "shard entry: " + why;
            return false;
        }

        if (!Completed.Verify(trustedHead, out why))
        {
            reason = "JobCompleted entry: " + why;
            return false;
        }

        if (Shard.Entry is not ShardCompletedEntry shard || Completed.Entry is not JobCompletedEntry completed)
        {
            reason = "the proof's entries are not a ShardCompleted and a JobCompleted";
            return false;
        }

        reason = MerkleTree.VerifyInclusion(MerkleTree.HashLeaf(shard.ResultDigest), shard.Shard, completed.ShardCount, ShardPath, completed.ShardsRoot)
            ? null
            : $"shard {shard.Shard}'s result digest is not leaf {shard.Shard} of the JobCompleted shards root";
        return reason is null;
    }
}
