using k8s;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Operator.Informers;

/// <summary>Log messages of <see cref="ResourceInformer{T}"/>. <c>Resource</c> is <c>plural.group/version</c>.</summary>
internal static partial class InformerLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Informer for {Resource} starting (namespace {Namespace}, selector {LabelSelector})")]
    public static partial void Starting(ILogger logger, string resource, string @namespace, string labelSelector);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Listed {Count} {Resource} at resourceVersion {ResourceVersion} in {Pages} page(s)")]
    public static partial void Listed(ILogger logger, int count, string resource, string resourceVersion, int pages);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Informer for {Resource} has synced: {Count} object(s)")]
    public static partial void Synced(ILogger logger, string resource, int count);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} ended by the server after {Events} event(s); watching again")]
    public static partial void WatchClosed(ILogger logger, string resource, string resourceVersion, int events);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} expired (410 Gone): relisting")]
    public static partial void WatchExpired(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "{Operation} of {Resource} failed ({Reason}); retrying in {Delay} (failure {Failures} in a row)")]
    public static partial void Retrying(ILogger logger, Exception? exception, string operation, string resource, string reason, TimeSpan delay, int failures);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Information, Message = "The continue token of a paged list of {Resource} expired (410 Gone): listing everything in one request")]
    public static partial void ContinueExpired(ILogger logger, string resource);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Error, Message = "Event handler {Handler}.{Method} threw for {Resource} {Key}; the informer goes on")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handler, string method, string resource, ObjectKey key);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Debug, Message = "Ignored a {EventType} event for {Resource} {Key} at resourceVersion {EventVersion}: the cache already has {CachedVersion}")]
    public static partial void StaleEvent(ILogger logger, WatchEventType eventType, string resource, ObjectKey key, string eventVersion, string cachedVersion);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "Ignored a {EventType} event for {Resource} without metadata.name")]
    public static partial void NamelessEvent(ILogger logger, WatchEventType eventType, string resource);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Ignored an item of a list of {Resource} without metadata.name")]
    public static partial void NamelessListItem(ILogger logger, string resource);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Debug, Message = "Resync of {Resource}: {Count} object(s)")]
    public static partial void Resynced(ILogger logger, string resource, int count);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Informer for {Resource} stopped at resourceVersion {ResourceVersion}")]
    public static partial void Stopped(ILogger logger, string resource, string resourceVersion);
}
