namespace HpcK8s.Workflows.History;

/// <summary>The instance continued as new. The executor ignores it.</summary>
/// <remarks>Protocol: <c>HistoryEvent.continueAsNew 20</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Input">The new input as JSON, or null.</param>
public sealed record ContinueAsNewEvent(int EventId, DateTime Timestamp, string? Input)
    : HistoryEvent(EventId, Timestamp);
