using System.Text.Json.Serialization;

namespace HpcK8s.Core.Model;

/// <summary>The desired computation.</summary>
public sealed class ComputeJobSpec
{
    /// <summary>Largest accepted <see cref="Shards"/>.</summary>
    public const int MaxShards = 1_000_000;

    /// <summary>Which kernel computes the shards.</summary>
    public KernelReference Kernel { get; set; } = new();

    /// <summary>Kernel-specific parameters, all strings; each kernel validates its own.</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];

    /// <summary>How many shards the work is cut into: 1 to 1,000,000. Default 1.</summary>
    public int Shards { get; set; } = 1;

    /// <summary>How many shards may run at once: 1 to <see cref="Shards"/>. Default: all of them.</summary>
    public int? Parallelism { get; set; }

    /// <summary>Per-shard retry policy.</summary>
    public RetrySpec Retry { get; set; } = new();

    /// <summary>The job fails once it has run this long (seconds, at least 1). Null: no deadline.</summary>
    public long? ActiveDeadlineSeconds { get; set; }

    /// <summary>While true, no new shard starts; running shards finish.</summary>
    public bool Suspend { get; set; }

    /// <summary>Ledger replication.</summary>
    public LedgerSpec Ledger { get; set; } = new();

    /// <summary>A finished job is deleted this many seconds after it finished (0 or more). Null: kept.</summary>
    public long? TtlSecondsAfterFinished { get; set; }

    /// <summary>The effective parallelism: <see cref="Parallelism"/> or, when unset, <see cref="Shards"/>.</summary>
    [JsonIgnore]
    public int EffectiveParallelism => Parallelism ?? Shards;
}
