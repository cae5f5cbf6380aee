namespace HpcK8s.Core.Ledger;

/// <summary>What an entry records. The numeric value is the entry's first byte in the canonical encoding.</summary>
public enum LedgerEntryKind
{
    /// <summary>Not a valid kind; the default value.</summary>
    None = 0,

    /// <summary>The job was accepted: its name, kernel and the digest of its spec.</summary>
    JobAccepted = 1,

    /// <summary>One attempt of one shard finished with a result.</summary>
    ShardCompleted = 2,

    /// <summary>The job finished: the result, its digest, and the Merkle root over the shard results.</summary>
    JobCompleted = 3,

    /// <summary>The job failed, with the reason.</summary>
    JobFailed = 4,
}
