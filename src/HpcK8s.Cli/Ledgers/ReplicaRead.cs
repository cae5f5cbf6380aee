using HpcK8s.Core.Ledger;

namespace HpcK8s.Cli.Ledgers;

/// <summary>One ledger replica as read (never written) by the CLI.</summary>
/// <param name="Index">The replica's index.</param>
/// <param name="Chain">Its blocks, when it answered; empty when it holds none.</param>
/// <param name="Unreachable">Why it did not answer, when it did not.</param>
/// <param name="Damage">Why its blocks do not form a valid chain, when they do not.</param>
internal sealed record ReplicaRead(int Index, LedgerChain? Chain, string? Unreachable, string? Damage)
{
    /// <summary>Answered with a chain of at least one block that verifies.</summary>
    public bool IsValid => Chain is { Blocks.Count: > 0 } && Unreachable is null && Damage is null;
}
