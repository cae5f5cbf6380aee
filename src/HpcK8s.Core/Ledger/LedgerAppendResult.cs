namespace HpcK8s.Core.Ledger;

/// <summary>What an append did.</summary>
/// <param name="Positions">Where each offered entry is, in the order offered (existing positions for entries that were already there).</param>
/// <param name="Head">The head after the append.</param>
/// <param name="Appended">Whether a new block was written (false when every entry already existed).</param>
public sealed record LedgerAppendResult(IReadOnlyList<LedgerEntryPosition> Positions, LedgerHead Head, bool Appended);
