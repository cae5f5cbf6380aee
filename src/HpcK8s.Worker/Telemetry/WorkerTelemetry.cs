using System.Diagnostics;

namespace HpcK8s.Worker.Telemetry;

/// <summary>The names under which the worker publishes metrics and traces, and its trace source.</summary>
public static class WorkerTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the worker's own instruments.</summary>
    public const string MeterName = "HpcK8s.Worker";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of shard spans.</summary>
    public const string ActivitySourceName = "HpcK8s.Worker";

    /// <summary>Histogram buckets (seconds) of the duration instruments on <c>/metrics</c>: shards run up to minutes.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>The span name of one shard execution.</summary>
    public const string ShardSpanName = "ExecuteShard";

    /// <summary>Span tag: the job (ledger) name.</summary>
    public const string JobTag = "hpck8s.job";

    /// <summary>Span and metric tag: the kernel name.</summary>
    public const string KernelTag = "hpck8s.kernel";

    /// <summary>Span tag: the shard index.</summary>
    public const string ShardTag = "hpck8s.shard.index";

    /// <summary>Span tag: the job's shard count.</summary>
    public const string ShardCountTag = "hpck8s.shard.count";

    /// <summary>Span tag: the attempt number of the shard.</summary>
    public const string AttemptTag = "hpck8s.shard.attempt";

    /// <summary>Span tag: the workflow instance that scheduled the shard.</summary>
    public const string InstanceTag = "hpck8s.workflow.instance_id";

    /// <summary>Metric tag: how a shard execution ended (<c>succeeded</c>, <c>failed</c>, <c>abandoned</c>).</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>The source of shard spans; OpenTelemetry subscribes to it by <see cref="ActivitySourceName"/>.</summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName);
}
