namespace HpcK8s.Workflows.History;

/// <summary>Create a durable timer. Recorded as <see cref="TimerCreatedEvent"/>; fires as <see cref="TimerFiredEvent"/> with <c>timerId = Id</c>.</summary>
/// <remarks>Protocol: <c>WorkflowAction.createTimer 4</c>.</remarks>
/// <param name="Id">The action id: the next number of the execution's counter.</param>
/// <param name="FireAt">When to fire (UTC), computed from <c>CurrentUtcDateTime</c>.</param>
/// <param name="Name">The timer's name; set to the event name for external-event timeouts (daprd 1.16–1.17 read it).</param>
/// <param name="Origin">Why the timer exists.</param>
public sealed record CreateTimerAction(int Id, DateTime FireAt, string? Name, TimerOrigin Origin)
    : WorkflowAction(Id);
