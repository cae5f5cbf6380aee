using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Blocks read from a replica's state as stored (not verified by the replica), and its head.</summary>
/// <param name="Head">The replica's stored head.</param>
/// <param name="Blocks">Blocks from the requested height, in order; stops early at a block missing from state.</param>
/// <param name="Missing">The first height up to the head that has no stored block, or null.</param>
public sealed record LedgerBlockPage(
    [property: JsonPropertyName("head")] LedgerReplicaHead Head,
    [property: JsonPropertyName("blocks")] IReadOnlyList<LedgerBlockData> Blocks,
    [property: JsonPropertyName("missing")] long? Missing = null);
