namespace HpcK8s.Workflows.History;

/// <summary>A child workflow completed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.childWorkflowInstanceCompleted 10</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="TaskScheduledId">The id of the <see cref="CreateChildWorkflowAction"/> that created the child.</param>
/// <param name="Result">The child's result as JSON, or null.</param>
public sealed record ChildWorkflowInstanceCompletedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, string? Result)
    : HistoryEvent(EventId, Timestamp);
