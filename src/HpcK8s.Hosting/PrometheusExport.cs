using System.Diagnostics.Metrics;
using Prometheus;

namespace HpcK8s.Hosting;

/// <summary>
/// The Prometheus registry behind a host's <c>/metrics</c>: the host's own meters (its instruments, ASP.NET Core's and
/// Kestrel's, all created through its <see cref="IMeterFactory"/>), the runtime's <c>System.Runtime</c> meter, and
/// prometheus-net's process statistics.
/// </summary>
/// <remarks>A registry per host rather than prometheus-net's process-wide default one, so that two hosts in one process
/// (tests) never mix their series. Create it after the host's instruments: the adapter sees only meters that exist when
/// it starts listening, and those created later through the same factory.</remarks>
public sealed class PrometheusExport : IDisposable
{
    private readonly IDisposable _adapter;

    /// <summary>Starts exporting the meters of <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <param name="durationBuckets">Histogram buckets (seconds) for instruments whose unit is <c>s</c>.</param>
    public PrometheusExport(IMeterFactory meterFactory, IReadOnlyList<double> durationBuckets)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(durationBuckets);
        var buckets = durationBuckets.ToArray();
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // prometheus-net 8.2.1 creates the series through Metrics.DefaultFactory unless a factory is given, whatever
            // Registry says; without this line /metrics would show none of them.
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meterFactory) || instrument.Meter.Name == "System.Runtime",
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? buckets : MeterAdapterOptions.DefaultHistogramBuckets,
            // Series are few, so keep them as long as prometheus-net allows (default: 5 minutes), lest a counter vanish
            // after a quiet spell and read as a reset.
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <inheritdoc />
    public void Dispose() => _adapter.Dispose();
}
