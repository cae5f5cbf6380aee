namespace HpcK8s.Workflows.History;

/// <summary>Schedule an activity. daprd records it as <see cref="TaskScheduledEvent"/> with <c>eventId = Id</c> and later reports <see cref="TaskCompletedEvent"/> or <see cref="TaskFailedEvent"/> with <c>taskScheduledId = Id</c>.</summary>
/// <remarks>Protocol: <c>WorkflowAction.scheduleTask 2</c>.</remarks>
/// <param name="Id">The action id: the next number of the execution's counter.</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The input as JSON, or null.</param>
/// <param name="TaskExecutionId">Shared by every retry attempt of one activity call, so activities can be idempotent on it.</param>
public sealed record ScheduleTaskAction(int Id, string Name, string? Input, string? TaskExecutionId)
    : WorkflowAction(Id);
