namespace HpcK8s.Workflows.History;

/// <summary>Send an event to another instance. Recorded as <see cref="EventSentEvent"/>.</summary>
/// <remarks>Protocol: <c>WorkflowAction.sendEvent 5</c>.</remarks>
/// <param name="Id">The action id: the next number of the execution's counter.</param>
/// <param name="InstanceId">The receiving instance.</param>
/// <param name="Name">The event name.</param>
/// <param name="Data">The payload as JSON, or null.</param>
public sealed record SendEventAction(int Id, string InstanceId, string Name, string? Data)
    : WorkflowAction(Id);
