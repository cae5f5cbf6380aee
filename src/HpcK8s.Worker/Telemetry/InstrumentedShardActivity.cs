using System.Diagnostics;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Worker.Telemetry;

/// <summary>
/// Wraps the <c>ExecuteShard</c> activity: one span per execution (job, kernel, shard, attempt), and the shard
/// metrics. The wrapped activity's behaviour is unchanged: its output, exceptions and cancellations pass through.
/// </summary>
internal sealed partial class InstrumentedShardActivity(IWorkflowActivity inner, ShardMetrics metrics, ILogger logger) : IWorkflowActivity
{
    /// <inheritdoc />
    public Type InputType => inner.InputType;

    /// <inheritdoc />
    public Type OutputType => inner.OutputType;

    /// <inheritdoc />
    public async Task<object?> RunAsync(WorkflowActivityContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shard = input as ExecuteShardInput;
        var kernel = shard?.Kernel ?? "unknown";
        using var span = WorkerTelemetry.ActivitySource.StartActivity(WorkerTelemetry.ShardSpanName, ActivityKind.Internal);
        if (span is not null)
        {
            span.DisplayName = $"{WorkerTelemetry.ShardSpanName} {kernel}";
            span.SetTag(WorkerTelemetry.JobTag, shard?.JobName);
            span.SetTag(WorkerTelemetry.KernelTag, kernel);
            span.SetTag(WorkerTelemetry.ShardTag, shard?.Index);
            span.SetTag(WorkerTelemetry.ShardCountTag, shard?.Shards);
            span.SetTag(WorkerTelemetry.AttemptTag, shard?.Attempt);
            span.SetTag(WorkerTelemetry.InstanceTag, context.InstanceId);
        }

        var started = Stopwatch.GetTimestamp();
        metrics.Started();
        var outcome = ShardMetrics.Failed;
        try
        {
            var output = await inner.RunAsync(context, input).ConfigureAwait(false);
            outcome = ShardMetrics.Succeeded;
            span?.SetStatus(ActivityStatusCode.Ok);
            return output;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            outcome = ShardMetrics.Abandoned;
            span?.SetStatus(ActivityStatusCode.Unset, "abandoned: the stream was lost or the worker is stopping");
            span?.SetTag(WorkerTelemetry.OutcomeTag, ShardMetrics.Abandoned);
            throw;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            span?.AddException(ex);
            ShardFailed(logger, shard?.Index ?? -1, shard?.JobName ?? "?", kernel, shard?.Attempt ?? 0, ex);
            throw;
        }
        finally
        {
            metrics.Finished(kernel, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(1001, LogLevel.Warning, "Shard {Shard} of job {Job} (kernel {Kernel}, attempt {Attempt}) failed; the workflow retries it per spec.retry")]
    private static partial void ShardFailed(ILogger logger, int shard, string job, string kernel, int attempt, Exception exception);
}
