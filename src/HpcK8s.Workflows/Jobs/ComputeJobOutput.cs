using HpcK8s.Core.Model;

namespace HpcK8s.Workflows.Jobs;

/// <summary>How a job ended, as returned by <see cref="ComputeJobWorkflow"/>.</summary>
/// <param name="Phase"><see cref="JobPhase.Succeeded"/> or <see cref="JobPhase.Failed"/>.</param>
/// <param name="Value">The result value (succeeded only).</param>
/// <param name="Digest">The result's <c>sha256:</c> digest (succeeded only).</param>
/// <param name="Details">Kernel-specific figures (succeeded only).</param>
/// <param name="Succeeded">Shards with a result.</param>
/// <param name="Failed">Shards that exhausted their attempts.</param>
/// <param name="Reason">Why it failed: a <see cref="JobReasons"/> constant.</param>
/// <param name="Message">A human explanation of the failure.</param>
/// <param name="Ledger">The ledger head after the last entry.</param>
public sealed record ComputeJobOutput(
    string Phase,
    string? Value,
    string? Digest,
    IReadOnlyDictionary<string, string>? Details,
    int Succeeded,
    int Failed,
    string? Reason,
    string? Message,
    LedgerHead? Ledger);
