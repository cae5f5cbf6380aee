using System.Text.Json.Serialization;

namespace HpcK8s.Dapr.Ledger;

/// <summary>A page of blocks to read from a replica.</summary>
/// <param name="FromHeight">First height to return.</param>
/// <param name="MaxBlocks">At most this many blocks (keeps a reply under the sidecar's body limit).</param>
public sealed record LedgerReadRequest(
    [property: JsonPropertyName("fromHeight")] long FromHeight,
    [property: JsonPropertyName("maxBlocks")] int MaxBlocks);
