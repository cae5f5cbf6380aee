using Microsoft.Extensions.Logging;

namespace HpcK8s.Operator.Informers;

/// <summary>Log messages of <see cref="Controller{T}"/>. <c>Controller</c> is the resource type's name.</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 5120, Level = LogLevel.Information, Message = "Controller {Controller} waiting for its informer to sync")]
    public static partial void WaitingForSync(ILogger logger, string controller);

    [LoggerMessage(EventId = 5121, Level = LogLevel.Information, Message = "Controller {Controller} started {Workers} worker(s)")]
    public static partial void Started(ILogger logger, string controller, int workers);

    [LoggerMessage(EventId = 5122, Level = LogLevel.Debug, Message = "Reconciled {Key} in {Duration}")]
    public static partial void Reconciled(ILogger logger, ObjectKey key, TimeSpan duration);

    [LoggerMessage(EventId = 5123, Level = LogLevel.Debug, Message = "Reconciled {Key}; looking again in {RequeueAfter}")]
    public static partial void RequeuedAfter(ILogger logger, ObjectKey key, TimeSpan requeueAfter);

    [LoggerMessage(EventId = 5124, Level = LogLevel.Warning, Message = "Reconcile of {Key} failed (attempt {Attempt}); retrying with back-off")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, ObjectKey key, int attempt);

    [LoggerMessage(EventId = 5125, Level = LogLevel.Debug, Message = "Reconcile of {Key} stopped by shutdown")]
    public static partial void ReconcileCancelled(ILogger logger, ObjectKey key);

    [LoggerMessage(EventId = 5126, Level = LogLevel.Information, Message = "Controller {Controller} stopping: waiting for {InFlight} reconcile(s) in flight")]
    public static partial void Stopping(ILogger logger, string controller, int inFlight);

    [LoggerMessage(EventId = 5127, Level = LogLevel.Information, Message = "Controller {Controller} stopped")]
    public static partial void Stopped(ILogger logger, string controller);
}
