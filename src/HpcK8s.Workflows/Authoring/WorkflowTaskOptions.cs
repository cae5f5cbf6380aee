namespace HpcK8s.Workflows.Authoring;

/// <summary>Options for an activity call.</summary>
/// <param name="RetryPolicy">How to retry failures; null means no retries.</param>
public record WorkflowTaskOptions(WorkflowRetryPolicy? RetryPolicy = null);
