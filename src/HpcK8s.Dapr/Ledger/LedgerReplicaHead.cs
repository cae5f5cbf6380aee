using System.Text.Json.Serialization;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Dapr.Ledger;

/// <summary>A replica's head as stored in actor state and returned to callers.</summary>
/// <param name="LedgerId">The ledger (job) id.</param>
/// <param name="Height">Height of the last block; −1 when the replica holds no blocks.</param>
/// <param name="Hash">Hash of the last block (<c>sha256:</c> + hex; zero when empty).</param>
/// <param name="Frontier">The block-hash tree frontier as concatenated 32-byte hashes (<see cref="LedgerHead.ToFrontierBytes"/>).</param>
public sealed record LedgerReplicaHead(
    [property: JsonPropertyName("ledgerId")] string LedgerId,
    [property: JsonPropertyName("height")] long Height,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("frontier")] byte[] Frontier)
{
    /// <summary>The wire form of a head.</summary>
    /// <param name="head">The head.</param>
    /// <returns>The data.</returns>
    public static LedgerReplicaHead From(LedgerHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new LedgerReplicaHead(head.LedgerId, head.Height, head.Hash.ToString(), head.ToFrontierBytes());
    }

    /// <summary>Decodes the head.</summary>
    /// <returns>The head.</returns>
    /// <exception cref="LedgerFormatException">When the hash or frontier is malformed.</exception>
    public LedgerHead ToHead()
    {
        if (string.IsNullOrEmpty(LedgerId) || !Hash256.TryParse(Hash, out var hash) || Frontier is null)
        {
            throw new LedgerFormatException($"replica head '{LedgerId}' at height {Height} is malformed");
        }

        return LedgerHead.FromStored(LedgerId, Height, hash, Frontier);
    }

    /// <summary>Whether two heads name the same block (height and hash).</summary>
    /// <param name="other">The other head.</param>
    /// <returns>Whether they match.</returns>
    public bool SameTipAs(LedgerReplicaHead other) => other is not null && Height == other.Height && Hash == other.Hash;
}
