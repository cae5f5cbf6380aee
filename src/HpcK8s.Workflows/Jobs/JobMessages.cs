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

/// <summary>Progress published as custom status on every turn of the job and batch workflows.</summary>
/// <param name="Total">Shards in scope (the job's, or the batch's).</param>
/// <param name="Succeeded">Shards with a result.</param>
/// <param name="Failed">Shards that exhausted their attempts.</param>
/// <param name="Running">Shards in flight (for the job: shards of batches in flight that have no result yet).</param>
public sealed record JobProgress(int Total, int Succeeded, int Failed, int Running);

/// <summary>Input of <see cref="ShardBatchWorkflow"/>: a contiguous range of one job's shards.</summary>
public sealed record ShardBatchInput(
    string JobName,
    string Kernel,
    IReadOnlyDictionary<string, string> Parameters,
    int Shards,
    int Start,
    int Count,
    int Parallelism,
    int MaxAttempts,
    long BackoffMilliseconds);

/// <summary>What a batch returns: the merged partial of its shards, or the first shard that failed for good.</summary>
/// <param name="Partial">The merge of the batch's shard partials, in shard order (null when failed).</param>
/// <param name="Succeeded">Shards that produced a result.</param>
/// <param name="FailedShard">The index of the shard that exhausted its attempts, if any.</param>
/// <param name="Error">That shard's last error.</param>
/// <param name="Attempts">How many attempts the failed shard had.</param>
public sealed record ShardBatchOutput(string? Partial, int Succeeded, int? FailedShard, string? Error, int Attempts);

/// <summary>Input of the <c>ExecuteShard</c> activity.</summary>
public sealed record ExecuteShardInput(string JobName, string Kernel, IReadOnlyDictionary<string, string> Parameters, int Shards, int Index, int Attempt);

/// <summary>Output of the <c>ExecuteShard</c> activity.</summary>
/// <param name="Partial">The kernel's partial for the shard.</param>
/// <param name="Digest"><c>sha256:</c> digest of <paramref name="Partial"/>.</param>
/// <param name="Worker">Which worker computed it (host and process).</param>
/// <param name="DurationMilliseconds">How long the kernel ran.</param>
public sealed record ExecuteShardOutput(string Partial, string Digest, string Worker, long DurationMilliseconds);

/// <summary>Input of the <c>FinishJob</c> activity.</summary>
public sealed record FinishJobInput(string Kernel, IReadOnlyDictionary<string, string> Parameters, int Shards, string Merged);

/// <summary>Output of the <c>FinishJob</c> activity.</summary>
public sealed record FinishJobOutput(string Value, string Digest, IReadOnlyDictionary<string, string> Details);

/// <summary>The ledger's head as the workflow last saw it.</summary>
/// <param name="Height">Number of blocks.</param>
/// <param name="Head"><c>sha256:</c> hash of the head block.</param>
public sealed record LedgerHead(long Height, string Head);

/// <summary>Reasons a job fails, as written to its status and conditions.</summary>
public static class JobReasons
{
    /// <summary>A shard failed on every allowed attempt.</summary>
    public const string ShardRetriesExhausted = "ShardRetriesExhausted";

    /// <summary>The job ran longer than <c>spec.activeDeadlineSeconds</c>.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>The job's kernel is unknown to this worker.</summary>
    public const string UnknownKernel = "UnknownKernel";
}
