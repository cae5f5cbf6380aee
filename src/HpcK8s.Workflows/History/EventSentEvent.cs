namespace HpcK8s.Workflows.History;

/// <summary>The workflow sent an event to another instance. <see cref="HistoryEvent.EventId"/> is the id of the <see cref="SendEventAction"/> it records.</summary>
/// <remarks>Protocol: <c>HistoryEvent.eventSent 16</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="InstanceId">The receiving instance.</param>
/// <param name="Name">The event name.</param>
/// <param name="Input">The event payload as JSON, or null.</param>
public sealed record EventSentEvent(int EventId, DateTime Timestamp, string InstanceId, string Name, string? Input)
    : HistoryEvent(EventId, Timestamp);
