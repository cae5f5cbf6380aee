namespace HpcK8s.Workflows.History;

/// <summary>A durable timer was created. <see cref="HistoryEvent.EventId"/> is the id of the <see cref="CreateTimerAction"/> it records.</summary>
/// <remarks>Protocol: <c>HistoryEvent.timerCreated 12</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="FireAt">When the timer fires (UTC).</param>
/// <param name="Name">The timer's name (set for external-event timeouts).</param>
/// <param name="Origin">Why the timer exists.</param>
public sealed record TimerCreatedEvent(int EventId, DateTime Timestamp, DateTime FireAt, string? Name, TimerOrigin? Origin)
    : HistoryEvent(EventId, Timestamp);
