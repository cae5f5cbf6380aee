using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>A replica's answer to an append or a repair.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Head">The replica's head afterwards.</param>
/// <param name="Reason">Why the replica refused, found the input invalid or itself damaged; null on success.</param>
/// <param name="DamagedHeight">For <see cref="LedgerReplicaOutcome.Damaged"/>: the first height of its own chain that does not verify.</param>
public sealed record LedgerReplicaReply(
    [property: JsonPropertyName("outcome")] LedgerReplicaOutcome Outcome,
    [property: JsonPropertyName("head")] LedgerReplicaHead Head,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("damagedHeight")] long? DamagedHeight = null)
{
    /// <summary>Whether the replica now holds the block (appended now or before).</summary>
    [JsonIgnore]
    public bool Acknowledged => Outcome is LedgerReplicaOutcome.Appended or LedgerReplicaOutcome.AlreadyPresent or LedgerReplicaOutcome.Repaired;
}
