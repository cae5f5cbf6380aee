using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>How a replica compared with the majority's chain when the store cross-checked it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LedgerReplicaCondition>))]
public enum LedgerReplicaCondition
{
    /// <summary>Holds exactly the majority's chain.</summary>
    InSync = 1,

    /// <summary>Holds a prefix of it (missed appends, or lost its state).</summary>
    Lagging = 2,

    /// <summary>Holds it plus blocks no majority has (an append that did not commit).</summary>
    Ahead = 3,

    /// <summary>Holds a different block at some height.</summary>
    Diverged = 4,

    /// <summary>Its stored chain does not verify (altered bytes, missing blocks, a head that does not match).</summary>
    Damaged = 5,

    /// <summary>Did not answer in time.</summary>
    Unreachable = 6,
}
