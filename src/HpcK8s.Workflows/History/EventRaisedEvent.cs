namespace HpcK8s.Workflows.History;

/// <summary>An external event arrived for the instance.</summary>
/// <remarks>Protocol: <c>HistoryEvent.eventRaised 17</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Name">The event name (matched case-insensitively).</param>
/// <param name="Input">The event payload as JSON, or null.</param>
public sealed record EventRaisedEvent(int EventId, DateTime Timestamp, string Name, string? Input)
    : HistoryEvent(EventId, Timestamp);
