namespace HpcK8s.Workflows.Authoring;

/// <summary>The <c>errorType</c> values the executors write into failure details for their own errors.</summary>
public static class WorkflowErrorTypes
{
    /// <summary>The workflow code no longer matches its history (or left the deterministic scheduler).</summary>
    public const string NonDeterministic = "NonDeterministicWorkflowError";

    /// <summary>No workflow is registered under the requested name.</summary>
    public const string WorkflowNotFound = "WorkflowTaskNotFound";

    /// <summary>No activity is registered under the requested name.</summary>
    public const string ActivityNotFound = "ActivityTaskNotFound";
}
