namespace HpcK8s.Core.Model;

/// <summary>How a failed shard is retried.</summary>
public sealed class RetrySpec
{
    /// <summary>Attempts per shard including the first: 1 to 100. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the first retry, as a duration (<c>500ms</c>, <c>2s</c>, <c>1m</c>); doubles on each
    /// further retry up to 5 minutes. Default <c>2s</c>.</summary>
    public string Backoff { get; set; } = "2s";
}
