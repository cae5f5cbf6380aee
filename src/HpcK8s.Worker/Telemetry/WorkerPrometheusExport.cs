using System.Diagnostics.Metrics;
using Prometheus;

namespace HpcK8s.Worker.Telemetry;

/// <summary>
/// The Prometheus registry behind <c>/metrics</c>: this host's own meters (the worker's, ASP.NET Core's and Kestrel's,
/// all created through its <see cref="IMeterFactory"/>), the runtime's <c>System.Runtime</c> meter, and prometheus-net's
/// process statistics.
/// </summary>
/// <remarks>A registry per host rather than prometheus-net's process-wide default one, so that two hosts in one process
/// (tests) never mix their series.</remarks>
internal sealed class WorkerPrometheusExport : IDisposable
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    private readonly IDisposable _adapter;

    public WorkerPrometheusExport(IMeterFactory meterFactory, ShardMetrics shardMetrics, WorkflowStreamMetrics streamMetrics)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The instruments must exist before the adapter starts listening; taking the two instrument holders here ensures it.
        _ = shardMetrics;
        _ = streamMetrics;
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // prometheus-net 8.2.1 creates the series through Metrics.DefaultFactory unless a factory is given, whatever
            // Registry says; without this line /metrics would show none of them.
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory) || instrument.Meter.Name == "System.Runtime",
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? DurationBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
            // Series are few (kernel × outcome), so keep them as long as prometheus-net allows (default: 5 minutes), lest a
            // counter vanish after a quiet spell and read as a reset.
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <inheritdoc />
    public void Dispose() => _adapter.Dispose();
}
