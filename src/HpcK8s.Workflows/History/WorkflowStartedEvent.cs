namespace HpcK8s.Workflows.History;

/// <summary>A turn started (Dapr's <c>WorkflowStarted</c>, Microsoft's <c>OrchestratorStarted</c>); its timestamp becomes <c>CurrentUtcDateTime</c>.</summary>
/// <remarks>Protocol: <c>HistoryEvent.workflowStarted 14</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
public sealed record WorkflowStartedEvent(int EventId, DateTime Timestamp)
    : HistoryEvent(EventId, Timestamp);
