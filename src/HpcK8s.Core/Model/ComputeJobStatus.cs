namespace HpcK8s.Core.Model;

/// <summary>The observed state of a ComputeJob.</summary>
public sealed class ComputeJobStatus
{
    /// <summary>One of <see cref="JobPhase"/>'s values.</summary>
    public string Phase { get; set; } = JobPhase.Pending;

    /// <summary>Succeeded out of total shards as text (<c>40/64</c>), for <c>kubectl get cj</c>'s PROGRESS column.</summary>
    public string? Progress { get; set; }

    /// <summary>Shard counts.</summary>
    public ShardCounts Shards { get; set; } = new();

    /// <summary>The result, once succeeded.</summary>
    public JobResultStatus? Result { get; set; }

    /// <summary>The ledger's head as last recorded.</summary>
    public LedgerStatus? Ledger { get; set; }

    /// <summary>Kubernetes-style conditions.</summary>
    public List<JobCondition> Conditions { get; set; } = [];

    /// <summary>When the job started running.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>When the job finished (succeeded or failed).</summary>
    public DateTimeOffset? CompletionTime { get; set; }

    /// <summary>The id of the workflow instance driving the job.</summary>
    public string? WorkflowInstanceId { get; set; }

    /// <summary>The <c>metadata.generation</c> this status describes.</summary>
    public long? ObservedGeneration { get; set; }
}
