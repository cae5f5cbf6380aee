namespace HpcK8s.Workflows.History;

/// <summary>A child workflow was created. <see cref="HistoryEvent.EventId"/> is the id of the <see cref="CreateChildWorkflowAction"/> it records.</summary>
/// <remarks>Protocol: <c>HistoryEvent.childWorkflowInstanceCreated 9</c>.</remarks>
/// <param name="EventId">The action id for scheduling events, otherwise -1.</param>
/// <param name="Timestamp">When the engine wrote the event (UTC).</param>
/// <param name="InstanceId">The child's instance id.</param>
/// <param name="Name">The child workflow's name.</param>
/// <param name="Input">The child's input as JSON, or null.</param>
public sealed record ChildWorkflowInstanceCreatedEvent(int EventId, DateTime Timestamp, string InstanceId, string Name, string? Input)
    : HistoryEvent(EventId, Timestamp);
