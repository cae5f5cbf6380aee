using HpcK8s.Core.Model;

namespace HpcK8s.Workflows.Jobs;

/// <summary>Input of <see cref="ComputeJobWorkflow"/>: the job as accepted.</summary>
/// <param name="Name">The job's <c>metadata.name</c>.</param>
/// <param name="Spec">The validated spec.</param>
/// <param name="SpecDigest"><c>sha256:</c> digest of the spec's canonical JSON (recorded in the ledger).</param>
/// <param name="BatchSize">Shards per <see cref="ShardBatchWorkflow"/>; bounds every history's size.</param>
/// <param name="LedgerId">The ledger this run records into (default: the job's name). A run started again after an
/// earlier one finished gets a new ledger, because a ledger closed by JobCompleted or JobFailed takes no more entries.</param>
public sealed record ComputeJobInput(string Name, ComputeJobSpec Spec, string SpecDigest, int BatchSize = ComputeJobInput.DefaultBatchSize, string? LedgerId = null)
{
    /// <summary>The ledger this run records into.</summary>
    public string Ledger => LedgerId ?? Name;

    /// <summary>Default shards per batch: small enough that a batch's history stays well under a MiB of events.</summary>
    public const int DefaultBatchSize = 256;
}
