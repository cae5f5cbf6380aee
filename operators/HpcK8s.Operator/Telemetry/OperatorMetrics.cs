using System.Diagnostics.Metrics;

namespace HpcK8s.Operator.Telemetry;

/// <summary>The operator's instruments (meter <see cref="MeterName"/>), exported on <c>/metrics</c> as
/// <c>hpck8s_operator_*</c>.</summary>
public sealed class OperatorMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "hpck8s_operator";

    /// <summary>Histogram buckets (seconds) of the duration instruments on <c>/metrics</c>: reconciles take milliseconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Outcome tag value: the reconcile returned.</summary>
    public const string Success = "success";

    /// <summary>Outcome tag value: the reconcile threw and the key was requeued with back-off.</summary>
    public const string Error = "error";

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _watchRestarts;
    private readonly Counter<long> _statusWrites;
    private readonly Counter<long> _scaleChanges;

    /// <summary>Creates the instruments on a meter of their own (tests).</summary>
    public OperatorMetrics()
        : this(null)
    {
    }

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's, so <c>/metrics</c> of this
    /// host shows them and no other host's).</summary>
    /// <param name="meterFactory">The host's meter factory; null: a meter of their own.</param>
    public OperatorMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _reconciles = _meter.CreateCounter<long>("reconciles", description: "Reconciles by outcome (success, error).");
        _errors = _meter.CreateCounter<long>("reconcile_errors", description: "Reconciles that threw; the key was requeued with back-off.");
        _duration = _meter.CreateHistogram<double>("reconcile_duration_seconds", unit: "s", description: "How long one reconcile took.");
        _watchRestarts = _meter.CreateCounter<long>("watch_restarts", description: "Watches re-opened, by reason (closed, expired, error).");
        _statusWrites = _meter.CreateCounter<long>("status_writes", description: "Status subresource writes that changed something.");
        _scaleChanges = _meter.CreateCounter<long>("worker_scale_changes", description: "Times the operator changed the worker Deployment's replicas.");
        _meter.CreateObservableGauge("queue_depth", () => QueueDepth?.Invoke() ?? 0, description: "Keys waiting in the work queue.");
        _meter.CreateObservableGauge("jobs", ObserveJobs, description: "ComputeJobs in the informer's cache by phase.");
        _meter.CreateObservableGauge("worker_replicas_desired", () => DesiredReplicas, description: "Worker replicas the autoscaler last asked for.");
        _meter.CreateObservableGauge("leader", () => IsLeader ? 1 : 0, description: "1 while this replica holds the leader lease (only the leader reconciles and writes).");
    }

    /// <summary>Reports the work queue's depth (set by the controller).</summary>
    public Func<int>? QueueDepth { get; set; }

    /// <summary>Reports the jobs by phase (set by the host from the informer's cache).</summary>
    public Func<IReadOnlyDictionary<string, int>>? JobsByPhase { get; set; }

    /// <summary>The autoscaler's last decision.</summary>
    public int DesiredReplicas { get; set; }

    /// <summary>Whether this replica leads.</summary>
    public bool IsLeader { get; set; }

    /// <summary>Records one reconcile.</summary>
    /// <param name="outcome"><see cref="Success"/> or <see cref="Error"/>.</param>
    /// <param name="duration">How long it took.</param>
    public void Reconciled(string outcome, TimeSpan duration)
    {
        _reconciles.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == Error)
        {
            _errors.Add(1);
        }

        _duration.Record(duration.TotalSeconds);
    }

    /// <summary>Records a watch re-opened.</summary>
    /// <param name="reason">closed (the server ended it), expired (410, relisted) or error.</param>
    public void WatchRestarted(string reason) => _watchRestarts.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records a status write.</summary>
    public void StatusWritten() => _statusWrites.Add(1);

    /// <summary>Records a change of the worker Deployment's replicas.</summary>
    public void ScaleChanged() => _scaleChanges.Add(1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveJobs()
    {
        if (JobsByPhase?.Invoke() is not { } phases)
        {
            yield break;
        }

        foreach (var (phase, count) in phases)
        {
            yield return new Measurement<int>(count, new KeyValuePair<string, object?>("phase", phase));
        }
    }
}
