namespace HpcK8s.Workflows.History;

/// <summary>The instance was suspended: later events are buffered until it is resumed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.executionSuspended 21</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Input">The suspension reason as JSON, or null.</param>
public sealed record ExecutionSuspendedEvent(int EventId, DateTime Timestamp, string? Input)
    : HistoryEvent(EventId, Timestamp);
