using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Replace a replica's chain from <paramref name="FromHeight"/> with the supplied blocks (taken from the
/// majority). An empty <paramref name="Blocks"/> truncates the replica to <c>FromHeight − 1</c>.</summary>
/// <param name="FromHeight">First height to replace; at most the replica's head height + 1.</param>
/// <param name="Blocks">The blocks from that height, in order.</param>
/// <param name="ExpectedHeadHash">The head the repaired chain must end at when its last block is supplied, or null.</param>
public sealed record LedgerRepairRequest(
    [property: JsonPropertyName("fromHeight")] long FromHeight,
    [property: JsonPropertyName("blocks")] IReadOnlyList<LedgerBlockData> Blocks,
    [property: JsonPropertyName("expectedHeadHash")] string? ExpectedHeadHash = null);
