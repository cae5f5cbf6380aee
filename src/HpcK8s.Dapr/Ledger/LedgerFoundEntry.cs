using System.Text.Json.Serialization;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>An entry key found in a replica, and where.</summary>
/// <param name="Key">The key.</param>
/// <param name="Height">Height of its block.</param>
/// <param name="Index">Index within the block.</param>
public sealed record LedgerFoundEntry(
    [property: JsonPropertyName("key")] LedgerEntryKey Key,
    [property: JsonPropertyName("height")] long Height,
    [property: JsonPropertyName("index")] int Index);
