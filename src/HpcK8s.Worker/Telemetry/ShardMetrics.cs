using System.Diagnostics.Metrics;

namespace HpcK8s.Worker.Telemetry;

/// <summary>The shard instruments of meter <see cref="WorkerTelemetry.MeterName"/>.</summary>
/// <remarks>
/// <para>Tagged by kernel (and outcome for durations) only: job names and shard indexes would make one time series per
/// job, so they go on the spans instead. The in-flight count has no tags: prometheus-net's meter adapter drops the
/// tags of up-down counters.</para>
/// <para>Instrument names are relative to the meter, because prometheus-net names a series
/// <c>{meter}_{instrument}</c>: <c>shards.executed</c> is scraped as <c>hpck8s_worker_shards_executed</c>.</para>
/// </remarks>
internal sealed class ShardMetrics
{
    /// <summary>Outcome of a shard that produced a result.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Outcome of a shard whose kernel threw.</summary>
    public const string Failed = "failed";

    /// <summary>Outcome of a shard cancelled because its stream was lost or the worker was stopping.</summary>
    public const string Abandoned = "abandoned";

    private readonly Counter<long> _executed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _abandoned;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Histogram<double> _duration;
    private long _inFlightNow;

    public ShardMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(WorkerTelemetry.MeterName);
        _executed = meter.CreateCounter<long>("shards.executed", "{shard}", "Shard executions that produced a result.");
        _failed = meter.CreateCounter<long>("shards.failed", "{shard}", "Shard executions whose kernel failed (the workflow retries them per spec.retry).");
        _abandoned = meter.CreateCounter<long>("shards.abandoned", "{shard}", "Shard executions cancelled because the stream was lost or the worker stopped; the sidecar dispatches them again.");
        _inFlight = meter.CreateUpDownCounter<long>("shards.in_flight", "{shard}", "Shards running now.");
        _duration = meter.CreateHistogram(
            "shard.duration.seconds",
            "s",
            "How long shard executions took, by kernel and outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });
    }

    /// <summary>Shards running now in this process.</summary>
    public long InFlight => Interlocked.Read(ref _inFlightNow);

    /// <summary>Counts a shard that starts running.</summary>
    public void Started()
    {
        Interlocked.Increment(ref _inFlightNow);
        _inFlight.Add(1);
    }

    /// <summary>Counts a shard that stopped running, with its outcome and duration.</summary>
    public void Finished(string kernel, string outcome, TimeSpan duration)
    {
        var kernelTag = new KeyValuePair<string, object?>(WorkerTelemetry.KernelTag, kernel);
        Interlocked.Decrement(ref _inFlightNow);
        _inFlight.Add(-1);
        var counter = outcome switch
        {
            Succeeded => _executed,
            Failed => _failed,
            _ => _abandoned,
        };
        counter.Add(1, kernelTag);
        _duration.Record(duration.TotalSeconds, kernelTag, new KeyValuePair<string, object?>(WorkerTelemetry.OutcomeTag, outcome));
    }
}
