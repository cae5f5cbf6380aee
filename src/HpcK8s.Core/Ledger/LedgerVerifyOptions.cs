namespace HpcK8s.Core.Ledger;

/// <summary>What to check beyond the chain itself.</summary>
public sealed class LedgerVerifyOptions
{
    /// <summary>The ledger id every block must carry; when null, block 0's id is taken.</summary>
    public string? ExpectedLedgerId { get; init; }

    /// <summary>When set, every block must carry a signature that verifies with this key.</summary>
    public LedgerPublicKey? PublicKey { get; init; }

    /// <summary>An independently held head (e.g. from the ComputeJob's status): the ledger must end exactly there,
    /// which detects truncation and a rewritten last block.</summary>
    public Hash256? ExpectedHeadHash { get; init; }

    /// <summary>The height the ledger must end at (with <see cref="ExpectedHeadHash"/>, or alone).</summary>
    public long? ExpectedHeight { get; init; }
}
