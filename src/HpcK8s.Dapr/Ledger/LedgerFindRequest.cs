using System.Text.Json.Serialization;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Entry keys to look up in a replica.</summary>
/// <param name="Keys">The keys.</param>
public sealed record LedgerFindRequest([property: JsonPropertyName("keys")] IReadOnlyList<LedgerEntryKey> Keys);
