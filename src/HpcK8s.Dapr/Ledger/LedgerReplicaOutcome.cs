using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>What a replica did with an append or a repair.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LedgerReplicaOutcome>))]
public enum LedgerReplicaOutcome
{
    /// <summary>The block was written and the head advanced.</summary>
    Appended = 1,

    /// <summary>The replica already held this exact block at that height (an idempotent re-append).</summary>
    AlreadyPresent = 2,

    /// <summary>The supplied blocks replaced the replica's chain from the given height.</summary>
    Repaired = 3,

    /// <summary>The block does not follow the replica's head (it lags, is ahead, or holds a different block there:
    /// a fork); nothing was written.</summary>
    Refused = 4,

    /// <summary>The supplied block or chain does not verify; nothing was written.</summary>
    Invalid = 5,

    /// <summary>The replica's own stored chain does not verify (lost or altered state); it needs a repair.</summary>
    Damaged = 6,
}
