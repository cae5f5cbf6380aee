namespace HpcK8s.Workflows.History;

/// <summary>A child workflow failed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.childWorkflowInstanceFailed 11</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="TaskScheduledId">The id of the <see cref="CreateChildWorkflowAction"/> that created the child.</param>
/// <param name="FailureDetails">Why the child failed.</param>
public sealed record ChildWorkflowInstanceFailedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, FailureDetails FailureDetails)
    : HistoryEvent(EventId, Timestamp);
