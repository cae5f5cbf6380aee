namespace HpcK8s.Workflows.History;

/// <summary>An activity completed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.taskCompleted 7</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="TaskScheduledId">The id of the <see cref="TaskScheduledEvent"/> (and action) this completes.</param>
/// <param name="Result">The activity result as JSON, or null.</param>
/// <param name="TaskExecutionId">The task execution id, if the engine sets it.</param>
public sealed record TaskCompletedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, string? Result, string? TaskExecutionId)
    : HistoryEvent(EventId, Timestamp);
