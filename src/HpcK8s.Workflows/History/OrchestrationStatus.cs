namespace HpcK8s.Workflows.History;

/// <summary>
/// Runtime status of a workflow instance, numbered exactly as the Durable Task protocol's
/// <c>OrchestrationStatus</c> enum so that a translator can cast it 1:1.
/// </summary>
public enum OrchestrationStatus
{
    /// <summary>The instance is running (protocol value 0).</summary>
    Running = 0,

    /// <summary>The instance completed with a result (1).</summary>
    Completed = 1,

    /// <summary>The instance restarted itself with new input (2).</summary>
    ContinuedAsNew = 2,

    /// <summary>The instance failed; see the failure details (3).</summary>
    Failed = 3,

    /// <summary>The instance was cancelled (4). Not produced by this executor.</summary>
    Canceled = 4,

    /// <summary>The instance was terminated from outside (5).</summary>
    Terminated = 5,

    /// <summary>The instance is scheduled but has not started (6).</summary>
    Pending = 6,

    /// <summary>The instance is suspended (7).</summary>
    Suspended = 7,

    /// <summary>The engine stalled the instance, e.g. on a version mismatch (8, daprd 1.17 and later).</summary>
    Stalled = 8,
}
