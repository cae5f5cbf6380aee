namespace HpcK8s.Core.Ledger;

/// <summary>The outcome of <see cref="LedgerVerifier"/>: valid, or the first bad height and why.</summary>
/// <param name="IsValid">Whether every check passed.</param>
/// <param name="BlockCount">Blocks read (all of them when valid; up to and including the bad one otherwise).</param>
/// <param name="EntryCount">Entries read.</param>
/// <param name="Head">The recomputed hash of the last good block (zero when none).</param>
/// <param name="FailedHeight">Position of the first bad block, or null.</param>
/// <param name="Reason">Why it failed, naming the block and entry, or null.</param>
/// <param name="CanonicalBytes">Canonical bytes hashed (entries and headers): the throughput measure.</param>
public sealed record LedgerVerificationResult(
    bool IsValid, long BlockCount, long EntryCount, Hash256 Head, long? FailedHeight, string? Reason, long CanonicalBytes)
{
    /// <summary>One line for people: <c>ok: …</c> or the reason.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        IsValid ? $"ok: {BlockCount} blocks, {EntryCount} entries, head {Head}" : $"FAILED: {Reason}";
}
