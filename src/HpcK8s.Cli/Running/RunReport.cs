using System.Text.Json.Serialization;

namespace HpcK8s.Cli.Running;

/// <summary>
/// What <c>hpck8s run --output json</c> prints for a job: a stable contract (fields are only ever added).
/// </summary>
internal sealed record RunReport
{
    public required string Name { get; init; }

    public required string Kernel { get; init; }

    public required string Phase { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunResult? Result { get; init; }

    public required RunShards Shards { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required int Workers { get; init; }

    public required string StateDir { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunLedger? Ledger { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }
}

/// <summary>The job's result: its value, the SHA-256 of the value, and kernel-specific details.</summary>
internal sealed record RunResult(string Value, string Digest, IReadOnlyDictionary<string, string> Details);

/// <summary>The job's ledger head: the height of the last block and its hash (the anchor <c>ledger verify</c> checks).</summary>
internal sealed record RunLedger(long Height, string Head);

/// <summary>Shard counts. <see cref="Resumed"/>: shards whose results came from an earlier run's history;
/// <see cref="Executed"/>: shard computations this run performed (retries and re-runs of shards interrupted mid-way included).</summary>
internal sealed record RunShards(int Total, int Succeeded, int Failed, int Resumed, int Executed);
