namespace HpcK8s.Workflows.Jobs;

/// <summary>Input of <see cref="ShardBatchWorkflow"/>: a contiguous range of one job's shards.</summary>
public sealed record ShardBatchInput(
    string JobName,
    string Kernel,
    IReadOnlyDictionary<string, string> Parameters,
    int Shards,
    int Start,
    int Count,
    int Parallelism,
    int MaxAttempts,
    long BackoffMilliseconds);
