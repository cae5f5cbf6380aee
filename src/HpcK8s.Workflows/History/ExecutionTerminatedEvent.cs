namespace HpcK8s.Workflows.History;

/// <summary>Someone terminated the instance; the executor answers only with <c>CompleteWorkflow{TERMINATED}</c>.</summary>
/// <remarks>Protocol: <c>HistoryEvent.executionTerminated 5</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="Input">The termination reason/output as JSON, or null.</param>
/// <param name="Recurse">Whether child workflows are terminated too.</param>
public sealed record ExecutionTerminatedEvent(int EventId, DateTime Timestamp, string? Input, bool Recurse)
    : HistoryEvent(EventId, Timestamp);
