namespace HpcK8s.Workflows.Jobs;

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
