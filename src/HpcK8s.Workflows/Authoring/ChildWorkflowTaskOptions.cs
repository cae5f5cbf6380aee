namespace HpcK8s.Workflows.Authoring;

/// <summary>Options for a child workflow call.</summary>
/// <param name="InstanceId">The child's instance id. When null the executor derives a deterministic one,
/// <c>"&lt;parent&gt;:" + 4 hex digits of the action id</c>, as daprd would.</param>
/// <param name="RetryPolicy">How to retry failures; null means no retries.</param>
public record ChildWorkflowTaskOptions(string? InstanceId = null, WorkflowRetryPolicy? RetryPolicy = null)
    : WorkflowTaskOptions(RetryPolicy);
