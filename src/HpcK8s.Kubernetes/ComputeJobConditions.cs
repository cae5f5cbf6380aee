namespace HpcK8s.Kubernetes;

/// <summary>The condition types and reasons a ComputeJob's status carries, in one place.</summary>
public static class ComputeJobConditions
{
    /// <summary>The spec was accepted (False with <see cref="InvalidSpec"/> when it was not).</summary>
    public const string Ready = "Ready";

    /// <summary>The workflow is running shards.</summary>
    public const string Running = "Running";

    /// <summary><c>spec.suspend</c> holds the job.</summary>
    public const string Suspended = "Suspended";

    /// <summary>The job finished with a result.</summary>
    public const string Complete = "Complete";

    /// <summary>The job finished without a result.</summary>
    public const string Failed = "Failed";

    /// <summary>Reason: the spec breaks a rule the schema cannot express (Ready=False); no workflow is started.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Reason: the spec was accepted and the workflow started.</summary>
    public const string Accepted = "Accepted";

    /// <summary>Reason: the workflow was scheduled and waits for its first turn.</summary>
    public const string WorkflowStarted = "WorkflowStarted";

    /// <summary>Reason: shards are running.</summary>
    public const string ShardsRunning = "ShardsRunning";

    /// <summary>Reason: <c>spec.suspend</c> is true.</summary>
    public const string SuspendedBySpec = "SuspendedBySpec";

    /// <summary>Reason: <c>spec.suspend</c> went back to false.</summary>
    public const string Resumed = "Resumed";

    /// <summary>Reason: every shard produced a result.</summary>
    public const string Completed = "Completed";

    /// <summary>Reason: a shard failed on every allowed attempt.</summary>
    public const string ShardRetriesExhausted = "ShardRetriesExhausted";

    /// <summary>Reason: the job ran longer than <c>spec.activeDeadlineSeconds</c>.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>Reason: the workers have no such kernel.</summary>
    public const string UnknownKernel = "UnknownKernel";

    /// <summary>Reason: the workflow failed or was terminated by something other than the operator.</summary>
    public const string WorkflowFailed = "WorkflowFailed";

    /// <summary>Reason: the workflow the status names no longer exists (purged outside the operator).</summary>
    public const string WorkflowLost = "WorkflowLost";
}
