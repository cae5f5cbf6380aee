namespace HpcK8s.Workflows.History;

/// <summary>Identifies the parent of a child workflow; mirrors the protocol's <c>ParentInstanceInfo</c>.</summary>
/// <param name="TaskScheduledId">The id of the parent's <c>CreateChildWorkflow</c> action; child results use it.</param>
/// <param name="Name">The parent workflow's name.</param>
/// <param name="InstanceId">The parent's instance id.</param>
/// <param name="ExecutionId">The parent's execution id, if known.</param>
public sealed record ParentInstanceInfo(int TaskScheduledId, string? Name, string InstanceId, string? ExecutionId = null);
