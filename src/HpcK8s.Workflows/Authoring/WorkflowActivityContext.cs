namespace HpcK8s.Workflows.Authoring;

/// <summary>What an activity knows about the call it serves.</summary>
/// <param name="name">The activity name.</param>
/// <param name="instanceId">The calling workflow instance.</param>
/// <param name="taskId">The id of the schedule action (the <c>TaskScheduled</c> event id); differs per attempt.</param>
/// <param name="taskExecutionId">Shared by all retry attempts of one activity call; a natural idempotency key.</param>
/// <param name="cancellationToken">Cancelled when the worker shuts down or loses the work item.</param>
public sealed class WorkflowActivityContext(
    string name,
    string instanceId,
    int taskId,
    string? taskExecutionId,
    CancellationToken cancellationToken)
{
    /// <summary>The activity name.</summary>
    public string Name { get; } = name;

    /// <summary>The calling workflow instance's id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The schedule action's id; different for every attempt.</summary>
    public int TaskId { get; } = taskId;

    /// <summary>Shared by all retry attempts of one activity call.</summary>
    public string? TaskExecutionId { get; } = taskExecutionId;

    /// <summary>Cancelled when the worker shuts down or loses the work item.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;
}
