using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>A replica's answer to a key lookup, with the head it answered at.</summary>
/// <param name="Head">The replica's head.</param>
/// <param name="Found">The keys found (keys not found are absent), in the order asked.</param>
/// <param name="Damage">Why the replica could not answer from a verified chain, or null.</param>
public sealed record LedgerFindReply(
    [property: JsonPropertyName("head")] LedgerReplicaHead Head,
    [property: JsonPropertyName("found")] IReadOnlyList<LedgerFoundEntry> Found,
    [property: JsonPropertyName("damage")] string? Damage = null);
