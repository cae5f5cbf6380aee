namespace HpcK8s.Workflows.History;

/// <summary>Why a durable timer exists; mirrors the protocol's <c>CreateTimerAction.origin</c> oneof.</summary>
public enum TimerOriginKind
{
    /// <summary>The workflow called <c>CreateTimer</c> (<c>origin.createTimer</c>).</summary>
    CreateTimer = 0,

    /// <summary>The timeout of <c>WaitForExternalEventAsync</c> (<c>origin.externalEvent{name}</c>).</summary>
    ExternalEvent = 1,

    /// <summary>The delay before an activity retry (<c>origin.activityRetry{taskExecutionId}</c>).</summary>
    ActivityRetry = 2,

    /// <summary>The delay before a child workflow retry (<c>origin.childWorkflowRetry{instanceId}</c>).</summary>
    ChildWorkflowRetry = 3,
}
