namespace HpcK8s.Workflows.Jobs;

/// <summary>The ledger's head as the workflow last saw it.</summary>
/// <param name="Height">Number of blocks.</param>
/// <param name="Head"><c>sha256:</c> hash of the head block.</param>
public sealed record LedgerHead(long Height, string Head);
