using System.Diagnostics.Metrics;
using HpcK8s.Operator.Telemetry;
using Prometheus;

namespace HpcK8s.Operator.Hosting;

/// <summary>The Prometheus registry behind <c>/metrics</c>: this host's meters (the operator's, ASP.NET Core's), the
/// runtime's <c>System.Runtime</c> meter and prometheus-net's process statistics.</summary>
/// <remarks>A registry per host, so two operators in one process (tests) never mix their series.</remarks>
internal sealed class OperatorPrometheusExport : IDisposable
{
    private static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly IDisposable _adapter;

    public OperatorPrometheusExport(IMeterFactory meterFactory, OperatorMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _ = metrics; // the instruments must exist before the adapter listens
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // prometheus-net 8.2.1 writes to its default registry unless given a factory for this one.
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory) || instrument.Meter.Name == "System.Runtime",
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? DurationBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <inheritdoc />
    public void Dispose() => _adapter.Dispose();
}
