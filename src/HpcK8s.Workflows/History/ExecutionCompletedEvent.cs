namespace HpcK8s.Workflows.History;

/// <summary>The instance finished. Written by the engine; the executor ignores it.</summary>
/// <remarks>Protocol: <c>HistoryEvent.executionCompleted 4</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Status">The final status.</param>
/// <param name="Result">The result as JSON, or null.</param>
/// <param name="FailureDetails">Why it failed, when it failed.</param>
public sealed record ExecutionCompletedEvent(int EventId, DateTime Timestamp, OrchestrationStatus Status, string? Result, FailureDetails? FailureDetails)
    : HistoryEvent(EventId, Timestamp);
