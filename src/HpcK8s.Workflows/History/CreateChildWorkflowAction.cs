namespace HpcK8s.Workflows.History;

/// <summary>Create a child workflow. Recorded as <see cref="ChildWorkflowInstanceCreatedEvent"/>; its result comes back with <c>taskScheduledId = Id</c>.</summary>
/// <remarks>Protocol: <c>WorkflowAction.createChildWorkflow 3</c>.</remarks>
/// <param name="Id">The action id: the next number of the execution's counter.</param>
/// <param name="InstanceId">The child's instance id (always set by the executor).</param>
/// <param name="Name">The child workflow's name.</param>
/// <param name="Input">The input as JSON, or null.</param>
public sealed record CreateChildWorkflowAction(int Id, string InstanceId, string Name, string? Input)
    : WorkflowAction(Id);
