using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// Thrown into workflow code when an activity or child workflow failed (after any retries).
/// </summary>
public sealed class WorkflowTaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="failureDetails">The failure as reported by the activity or child.</param>
    public WorkflowTaskFailedException(string message, FailureDetails failureDetails)
        : base(message)
    {
        FailureDetails = failureDetails ?? throw new ArgumentNullException(nameof(failureDetails));
    }

    /// <summary>Creates the exception with a generic failure.</summary>
    public WorkflowTaskFailedException()
        : this("A workflow task failed.", new FailureDetails("Unknown", "A workflow task failed."))
    {
    }

    /// <summary>Creates the exception with a message and a generic failure.</summary>
    /// <param name="message">What failed.</param>
    public WorkflowTaskFailedException(string message)
        : this(message, new FailureDetails("Unknown", message))
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public WorkflowTaskFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        FailureDetails = FailureDetails.FromException(innerException);
    }

    /// <summary>The failure as reported by the activity or child workflow.</summary>
    public FailureDetails FailureDetails { get; }

    /// <summary>The activity or child workflow name, when known.</summary>
    public string? TaskName { get; init; }

    /// <summary>The id of the failed task's schedule action, when known.</summary>
    public int? TaskId { get; init; }
}
