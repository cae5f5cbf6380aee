namespace HpcK8s.Workflows.Authoring;

/// <summary>
/// How an activity or child workflow call is retried. Retries happen in the workflow (the executor), never in the
/// engine: after a failure the workflow waits on a durable timer, then schedules the call again with a new action
/// id and the same task execution id.
/// </summary>
/// <remarks>
/// The delay before attempt <c>n + 1</c> is <c>firstRetryInterval × backoffCoefficient^(n − 1)</c>, capped at
/// <see cref="MaxRetryInterval"/>. Failures marked non-retriable are not retried. When <see cref="RetryTimeout"/>
/// is set, no retry starts whose timer would fire later than that long after the first attempt was scheduled.
/// </remarks>
public sealed class WorkflowRetryPolicy
{
    /// <summary>Creates a retry policy.</summary>
    /// <param name="maxNumberOfAttempts">Attempts in total, including the first; at least 1.</param>
    /// <param name="firstRetryInterval">Delay before the first retry; positive.</param>
    /// <param name="backoffCoefficient">Factor applied to the delay after each retry; at least 1.</param>
    /// <param name="maxRetryInterval">Upper bound of a single delay; null for none.</param>
    /// <param name="retryTimeout">Upper bound of the time spent retrying; null for none.</param>
    public WorkflowRetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        if (maxRetryInterval is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, firstRetryInterval, nameof(maxRetryInterval));
        }

        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval;
        RetryTimeout = retryTimeout;
    }

    /// <summary>Attempts in total, including the first.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Factor applied to the delay after each retry.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Upper bound of a single delay, if any.</summary>
    public TimeSpan? MaxRetryInterval { get; }

    /// <summary>Upper bound of the time spent retrying, if any.</summary>
    public TimeSpan? RetryTimeout { get; }

    /// <summary>The delay after failed attempt <paramref name="attempt"/> (1-based).</summary>
    /// <param name="attempt">The attempt that just failed, 1 for the first.</param>
    /// <returns>The delay before the next attempt.</returns>
    public TimeSpan GetDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        var cap = (MaxRetryInterval ?? TimeSpan.MaxValue).Ticks;
        return ticks >= cap ? TimeSpan.FromTicks(cap) : TimeSpan.FromTicks((long)ticks);
    }
}
