using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Dapr.Workflows;

/// <summary>The worker's and client's log messages.</summary>
internal static partial class DaprWorkflowLog
{
    [LoggerMessage(1, LogLevel.Information, "Connected to the Dapr sidecar at {Endpoint}: work item stream {Stream} is open")]
    public static partial void StreamOpened(ILogger logger, Uri endpoint, long stream);

    [LoggerMessage(2, LogLevel.Warning, "Work item stream {Stream} ended by the sidecar; reconnecting")]
    public static partial void StreamEnded(ILogger logger, long stream);

    [LoggerMessage(3, LogLevel.Warning, "Work item stream to the Dapr sidecar at {Endpoint} failed ({StatusCode}: {Detail}); reconnecting")]
    public static partial void StreamFailed(ILogger logger, Uri endpoint, StatusCode statusCode, string detail);

    [LoggerMessage(4, LogLevel.Error, "Work item stream to the Dapr sidecar at {Endpoint} failed unexpectedly; reconnecting")]
    public static partial void StreamCrashed(ILogger logger, Uri endpoint, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Reconnecting to the Dapr sidecar in {Delay} (attempt {Attempt})")]
    public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt);

    [LoggerMessage(6, LogLevel.Warning, "Ignoring a work item with no request (completion token '{CompletionToken}')")]
    public static partial void EmptyWorkItem(ILogger logger, string completionToken);

    [LoggerMessage(7, LogLevel.Error, "Workflow turn of instance {InstanceId} failed inside the worker; reporting the instance as failed")]
    public static partial void TurnCrashed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Completing the workflow turn of instance {InstanceId} failed ({StatusCode}: {Detail}); the sidecar will dispatch it again")]
    public static partial void WorkflowCompletionFailed(ILogger logger, string instanceId, StatusCode statusCode, string detail);

    [LoggerMessage(9, LogLevel.Warning, "Completing activity {Name} (task {TaskId}) of instance {InstanceId} failed ({StatusCode}: {Detail}); the sidecar will dispatch it again")]
    public static partial void ActivityCompletionFailed(ILogger logger, string name, int taskId, string instanceId, StatusCode statusCode, string detail);

    [LoggerMessage(10, LogLevel.Information, "Activity {Name} (task {TaskId}) of instance {InstanceId} was abandoned (stream lost or worker stopping); the sidecar will dispatch it again")]
    public static partial void ActivityAbandoned(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(11, LogLevel.Error, "Instance {InstanceId}: the sidecar asked for history streaming, which this worker never advertised and does not support; the work item is left for the sidecar to re-dispatch")]
    public static partial void HistoryStreamingUnsupported(ILogger logger, string instanceId);

    [LoggerMessage(12, LogLevel.Information, "Workflow worker stopping: draining {InFlight} work items in flight")]
    public static partial void Draining(ILogger logger, int inFlight);

    [LoggerMessage(13, LogLevel.Warning, "Workflow worker stop timed out; cancelling the activities still running")]
    public static partial void DrainTimedOut(ILogger logger);

    [LoggerMessage(14, LogLevel.Debug, "Periodic Hello to the Dapr sidecar failed ({StatusCode}); the stream decides whether to reconnect")]
    public static partial void HelloFailed(ILogger logger, StatusCode statusCode);

    [LoggerMessage(15, LogLevel.Error, "Activity work item {Name} (task {TaskId}) of instance {InstanceId} failed inside the worker")]
    public static partial void ActivityCrashed(ILogger logger, string name, int taskId, string instanceId, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "The Dapr sidecar does not implement TaskHubSidecarService/{Rpc} ({Detail}); this client uses the Dapr API's {Fallback} for it from now on")]
    public static partial void TaskHubRpcUnimplemented(ILogger logger, string rpc, string detail, string fallback);
}
