using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Execution;

/// <summary>The outcome of one activity execution: an output or a failure, never both.</summary>
/// <param name="Output">The output as JSON (null for a null output or on failure).</param>
/// <param name="FailureDetails">Why the activity failed, or null on success.</param>
public sealed record ActivityResult(string? Output, FailureDetails? FailureDetails)
{
    /// <summary>True when the activity succeeded.</summary>
    public bool IsSuccess => FailureDetails is null;

    /// <summary>A successful result.</summary>
    /// <param name="output">The output as JSON.</param>
    /// <returns>The result.</returns>
    public static ActivityResult Success(string? output) => new(output, null);

    /// <summary>A failed result.</summary>
    /// <param name="failureDetails">Why it failed.</param>
    /// <returns>The result.</returns>
    public static ActivityResult Failure(FailureDetails failureDetails)
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        return new(null, failureDetails);
    }
}
