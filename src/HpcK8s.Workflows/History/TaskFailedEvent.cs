namespace HpcK8s.Workflows.History;

/// <summary>An activity failed.</summary>
/// <remarks>Protocol: <c>HistoryEvent.taskFailed 8</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="TaskScheduledId">The id of the <see cref="TaskScheduledEvent"/> (and action) this completes.</param>
/// <param name="FailureDetails">Why the activity failed.</param>
/// <param name="TaskExecutionId">The task execution id, if the engine sets it.</param>
public sealed record TaskFailedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, FailureDetails FailureDetails, string? TaskExecutionId)
    : HistoryEvent(EventId, Timestamp);
