namespace HpcK8s.Workflows.History;

/// <summary>
/// Why a durable timer was created. Exactly one of the optional fields is set, according to <see cref="Kind"/>.
/// </summary>
/// <param name="Kind">The origin's kind.</param>
/// <param name="EventName">For <see cref="TimerOriginKind.ExternalEvent"/>: the awaited event's name.</param>
/// <param name="TaskExecutionId">For <see cref="TimerOriginKind.ActivityRetry"/>: the retried activity's task execution id.</param>
/// <param name="InstanceId">For <see cref="TimerOriginKind.ChildWorkflowRetry"/>: the retried child's instance id.</param>
public sealed record TimerOrigin(
    TimerOriginKind Kind,
    string? EventName = null,
    string? TaskExecutionId = null,
    string? InstanceId = null)
{
    /// <summary>A timer the workflow created itself.</summary>
    public static TimerOrigin CreateTimer { get; } = new(TimerOriginKind.CreateTimer);

    /// <summary>The timeout of a wait for the external event <paramref name="eventName"/>.</summary>
    /// <param name="eventName">The awaited event's name.</param>
    /// <returns>The origin.</returns>
    public static TimerOrigin ExternalEvent(string eventName) => new(TimerOriginKind.ExternalEvent, EventName: eventName);

    /// <summary>The delay before retrying the activity with <paramref name="taskExecutionId"/>.</summary>
    /// <param name="taskExecutionId">The activity's task execution id, shared by all its attempts.</param>
    /// <returns>The origin.</returns>
    public static TimerOrigin ActivityRetry(string taskExecutionId) =>
        new(TimerOriginKind.ActivityRetry, TaskExecutionId: taskExecutionId);

    /// <summary>The delay before retrying the child workflow <paramref name="instanceId"/>.</summary>
    /// <param name="instanceId">The child's instance id.</param>
    /// <returns>The origin.</returns>
    public static TimerOrigin ChildWorkflowRetry(string instanceId) =>
        new(TimerOriginKind.ChildWorkflowRetry, InstanceId: instanceId);
}
