using HpcK8s.Workflows.History;

namespace HpcK8s.Dapr.Workflows;

/// <summary>What the sidecar reports about one workflow instance.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The workflow's registered name.</param>
/// <param name="Status">Running, completed, failed, suspended, …</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="LastUpdatedAt">When its state last changed (UTC).</param>
/// <param name="Input">The input as JSON, or null.</param>
/// <param name="Output">The output as JSON once completed (for terminated instances, the termination output), or null.</param>
/// <param name="CustomStatus">The custom status the workflow last set, as JSON, or null.</param>
/// <param name="Failure">Why it failed, once failed.</param>
public sealed record DaprWorkflowState(
    string InstanceId,
    string Name,
    OrchestrationStatus Status,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    string? Input,
    string? Output,
    string? CustomStatus,
    FailureDetails? Failure)
{
    /// <summary>True once the instance can no longer change (completed, failed, terminated or canceled).</summary>
    public bool IsTerminal => Status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>Deserializes <see cref="Input"/>.</summary>
    /// <typeparam name="T">The input type.</typeparam>
    /// <returns>The input, or default when null.</returns>
    public T? ReadInputAs<T>() => WorkflowJson.Deserialize<T>(Input);

    /// <summary>Deserializes <see cref="Output"/>.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <returns>The output, or default when null.</returns>
    public T? ReadOutputAs<T>() => WorkflowJson.Deserialize<T>(Output);

    /// <summary>Deserializes <see cref="CustomStatus"/>.</summary>
    /// <typeparam name="T">The custom status type.</typeparam>
    /// <returns>The custom status, or default when null.</returns>
    public T? ReadCustomStatusAs<T>() => WorkflowJson.Deserialize<T>(CustomStatus);
}
