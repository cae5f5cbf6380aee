namespace HpcK8s.Workflows.History;

/// <summary>The instance was resumed: buffered events are processed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.executionResumed 22</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Input">The resume reason as JSON, or null.</param>
public sealed record ExecutionResumedEvent(int EventId, DateTime Timestamp, string? Input)
    : HistoryEvent(EventId, Timestamp);
