namespace HpcK8s.Workflows.History;

/// <summary>An activity was scheduled. <see cref="HistoryEvent.EventId"/> is the id of the <see cref="ScheduleTaskAction"/> it records.</summary>
/// <remarks>Protocol: <c>HistoryEvent.taskScheduled 6</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The activity input as JSON, or null.</param>
/// <param name="TaskExecutionId">The id shared by all retry attempts of this activity call.</param>
public sealed record TaskScheduledEvent(int EventId, DateTime Timestamp, string Name, string? Input, string? TaskExecutionId)
    : HistoryEvent(EventId, Timestamp);
