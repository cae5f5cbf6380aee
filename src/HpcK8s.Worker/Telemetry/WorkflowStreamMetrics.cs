using System.Diagnostics.Metrics;
using HpcK8s.Dapr.Workflows;

namespace HpcK8s.Worker.Telemetry;

/// <summary>
/// Publishes the <see cref="DaprWorkflowWorker"/>'s stream state and <see cref="DaprWorkflowWorkerCounters"/> as
/// observable instruments of meter <see cref="WorkerTelemetry.MeterName"/>, read when metrics are collected
/// (<c>stream.reconnects</c> is scraped as <c>hpck8s_worker_stream_reconnects</c>).
/// </summary>
internal sealed class WorkflowStreamMetrics
{
    public WorkflowStreamMetrics(IMeterFactory meterFactory, DaprWorkflowWorker worker)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(worker);
        var meter = meterFactory.Create(WorkerTelemetry.MeterName);
        var counters = worker.Counters;
        meter.CreateObservableGauge("stream.connected", () => worker.IsStreamConnected ? 1 : 0, "{stream}",
            "1 while the work-item stream to the Dapr sidecar is open, else 0.");
        meter.CreateObservableCounter("stream.opened", () => counters.StreamsOpened, "{stream}",
            "Work-item streams opened to the Dapr sidecar.");
        meter.CreateObservableCounter("stream.reconnects", () => counters.Reconnects, "{reconnect}",
            "Reconnects after the work-item stream failed or ended without the worker causing it.");
        meter.CreateObservableCounter(
            "work_items",
            () => new[]
            {
                new Measurement<long>(counters.WorkflowWorkItems, new KeyValuePair<string, object?>("kind", "workflow")),
                new Measurement<long>(counters.ActivityWorkItems, new KeyValuePair<string, object?>("kind", "activity")),
            },
            "{work_item}",
            "Work items received from the sidecar, by kind.");
        meter.CreateObservableCounter("work_items.dropped", () => counters.DroppedWorkItems, "{work_item}",
            "Work items not run because their stream was lost or the worker was stopping (the sidecar dispatches them again).");
        meter.CreateObservableCounter("completion_failures", () => counters.CompletionFailures, "{call}",
            "Complete*Task calls to the sidecar that failed.");
    }
}
