using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Local;

/// <summary>What the local engine knows of one workflow instance.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The workflow's registered name.</param>
/// <param name="Status">Running, completed, failed, …</param>
/// <param name="Input">The input as JSON.</param>
/// <param name="Output">The output as JSON, once completed.</param>
/// <param name="Failure">Why it failed, once failed.</param>
/// <param name="CustomStatus">The custom status the workflow last set, as JSON.</param>
/// <param name="ParentInstanceId">The parent's id, for child workflows.</param>
/// <param name="CreatedAt">When it was started (UTC).</param>
/// <param name="UpdatedAt">When its state last changed (UTC).</param>
public sealed record WorkflowInstanceState(
    string InstanceId,
    string Name,
    OrchestrationStatus Status,
    string? Input,
    string? Output,
    FailureDetails? Failure,
    string? CustomStatus,
    string? ParentInstanceId,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>True once the instance can no longer change (completed, failed or terminated).</summary>
    public bool IsTerminal => Status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;
}
