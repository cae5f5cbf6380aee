using System.Diagnostics.Metrics;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using HpcK8s.Operator.Telemetry;

namespace HpcK8s.Operator.Tests.Informers;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OperatorMetricsGroup
{
    /// <summary>Meters are process-wide by name: tests that listen to them run alone.</summary>
    public const string Name = "operator-metrics";
}

[Collection(OperatorMetricsGroup.Name)]
public sealed class OperatorMetricsTests : KubeTestBase
{
    [Fact]
    public async Task Controller_And_Informer_RecordReconcilesQueueDepthAndWatchRestarts()
    {
        using var metrics = new OperatorMetrics();
        using var recorder = new MeasurementRecorder();
        await CreateJobAsync("a");
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions(), metrics: metrics);
        var reconciler = new ScriptedReconciler((call, _) =>
            call.Attempt == 1 ? throw new InvalidOperationException("first attempt fails") : Task.FromResult(ReconcileResult.Done));
        var controller = new Controller<V1Alpha1ComputeJob>(informer, reconciler, new ControllerOptions { BaseDelay = TimeSpan.FromMilliseconds(5) }, metrics: metrics);
        _ = RunUntilDisposed(controller.RunAsync);

        await Eventually.TrueAsync(() => reconciler.Calls.Count == 2, "the retry succeeded");
        await Eventually.TrueAsync(() => Server.WatchCount == 1, "the informer's watch is open");
        Server.DropWatches();
        await Eventually.TrueAsync(() => recorder.Sum("watch_restarts", "reason", "closed") >= 1, () => "the watch ended before its first line was counted as closed: " + recorder.Dump());

        // A watch that delivered something and was then ended by the server is a healthy "closed" too.
        await PatchJobAsync("a", new { spec = new { shards = 2 } });
        await Eventually.TrueAsync(() => informer.Get(new ObjectKey(Ns, "a"))?.Spec.Shards == 2, "the change arrived");
        Server.DropWatches();
        await Eventually.TrueAsync(() => recorder.Sum("watch_restarts", "reason", "closed") >= 2, () => "the dropped watch was counted: " + recorder.Dump());
        await Eventually.TrueAsync(() => recorder.Sum("reconciles", "outcome", OperatorMetrics.Success) == reconciler.Calls.Count - 1, "every success was counted");

        Assert.Equal(1, recorder.Sum("reconciles", "outcome", OperatorMetrics.Error));
        Assert.Equal(1, recorder.Sum("reconcile_errors"));
        Assert.NotNull(metrics.QueueDepth);
        Assert.Equal(controller.Queue.Count, metrics.QueueDepth!());
    }

    /// <summary>Sums the long measurements of the operator's meter, by instrument and tag.</summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _lock = new();
        private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];

        public MeasurementRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OperatorMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var copy = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    copy[tag.Key] = tag.Value;
                }

                lock (_lock)
                {
                    _measurements.Add((instrument.Name, value, copy));
                }
            });
            _listener.Start();
        }

        public long Sum(string instrument, string? tag = null, string? value = null)
        {
            lock (_lock)
            {
                return _measurements
                    .Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)))
                    .Sum(m => m.Value);
            }
        }

        public string Dump()
        {
            lock (_lock)
            {
                return string.Join("; ", _measurements.Select(m => m.Instrument + "=" + m.Value + " " + string.Join(",", m.Tags.Select(t => t.Key + ":" + t.Value))));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
