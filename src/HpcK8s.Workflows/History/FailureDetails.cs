namespace HpcK8s.Workflows.History;

/// <summary>
/// Why a task, child workflow or workflow failed; mirrors the protocol's <c>TaskFailureDetails</c>.
/// </summary>
/// <param name="ErrorType">The failure's type, for exceptions the exception's full type name.</param>
/// <param name="ErrorMessage">A human-readable message.</param>
/// <param name="StackTrace">The stack trace where the failure was raised, if known.</param>
/// <param name="InnerFailure">The failure that caused this one, if any.</param>
/// <param name="IsNonRetriable">True when retrying cannot help; retry policies do not retry such failures.</param>
public sealed record FailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    FailureDetails? InnerFailure = null,
    bool IsNonRetriable = false)
{
    /// <summary>
    /// Builds failure details from an exception: its full type name, message and stack trace, and the inner
    /// exception's details as <see cref="InnerFailure"/>.
    /// </summary>
    /// <remarks>
    /// An exception that already carries failure details (a failed task re-thrown by workflow code) keeps them
    /// as its inner failure, so the chain reaches the original activity's error.
    /// </remarks>
    /// <param name="exception">The exception to describe.</param>
    /// <param name="isNonRetriable">Whether the failure should be marked non-retriable.</param>
    /// <returns>The failure details.</returns>
    public static FailureDetails FromException(Exception exception, bool isNonRetriable = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        FailureDetails? inner = exception switch
        {
            Authoring.WorkflowTaskFailedException failed => failed.FailureDetails,
            _ when exception.InnerException is not null => FromException(exception.InnerException),
            _ => null,
        };
        return new FailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            inner,
            isNonRetriable);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
