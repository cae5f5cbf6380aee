namespace HpcK8s.Workflows.History;

/// <summary>A durable timer fired.</summary>
/// <remarks>Protocol: <c>HistoryEvent.timerFired 13</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="FireAt">When the timer was due (UTC).</param>
/// <param name="TimerId">The id of the <see cref="TimerCreatedEvent"/> (and action).</param>
public sealed record TimerFiredEvent(int EventId, DateTime Timestamp, DateTime FireAt, int TimerId)
    : HistoryEvent(EventId, Timestamp);
