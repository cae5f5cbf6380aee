namespace HpcK8s.Workflows.History;

/// <summary>A turn ended (Microsoft's <c>OrchestratorCompleted</c>). The executor ignores it.</summary>
/// <remarks>Protocol: <c>HistoryEvent.workflowCompleted 15</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
public sealed record WorkflowCompletedEvent(int EventId, DateTime Timestamp)
    : HistoryEvent(EventId, Timestamp);
