namespace HpcK8s.Workflows.Jobs;

/// <summary>One fact the job workflows ask the ledger to record (mapped to ledger entries by <see cref="IJobLedger"/>).</summary>
/// <param name="Kind"><c>JobAccepted</c>, <c>ShardCompleted</c>, <c>JobCompleted</c> or <c>JobFailed</c>.</param>
/// <param name="Kernel">JobAccepted: the kernel's display name.</param>
/// <param name="Digest">JobAccepted: the spec digest; ShardCompleted: the partial's digest; JobCompleted: the result digest.</param>
/// <param name="Shard">ShardCompleted: the shard index.</param>
/// <param name="Attempt">ShardCompleted: the attempt that succeeded (1-based).</param>
/// <param name="Worker">ShardCompleted: who computed it.</param>
/// <param name="DurationMilliseconds">ShardCompleted: how long the kernel ran.</param>
/// <param name="Value">JobCompleted: the result value.</param>
/// <param name="Reason">JobFailed: the reason constant.</param>
/// <param name="Message">JobFailed: the explanation.</param>
/// <param name="Shards">JobCompleted: the job's shard count (the ledger builds the shards root over them).</param>
public sealed record LedgerRecord(
    string Kind,
    string? Kernel = null,
    string? Digest = null,
    int? Shard = null,
    int? Attempt = null,
    string? Worker = null,
    long? DurationMilliseconds = null,
    string? Value = null,
    string? Reason = null,
    string? Message = null,
    int? Shards = null)
{
    /// <summary>The job was accepted.</summary>
    public const string JobAccepted = "JobAccepted";

    /// <summary>A shard produced a result.</summary>
    public const string ShardCompleted = "ShardCompleted";

    /// <summary>The job produced its result.</summary>
    public const string JobCompleted = "JobCompleted";

    /// <summary>The job failed.</summary>
    public const string JobFailed = "JobFailed";
}
