using System.Globalization;
using System.Net;
using System.Text.Json;
using HpcK8s.Operator.Telemetry;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcK8s.Operator.Informers;

/// <summary>Keeps a local cache of one resource type in step with the API server and tells handlers what changed:
/// LIST (paged), then WATCH from the list's resourceVersion, re-watching from the last resourceVersion seen when a
/// watch ends, relisting after 410 Gone, backing off on errors. The shape of client-go's shared informer, for any
/// group/version/plural (custom, <c>apps/v1</c> or core <c>v1</c> resources).</summary>
/// <typeparam name="T">The resource type, e.g. <c>V1Alpha1ComputeJob</c> or <c>V1Deployment</c>.</typeparam>
/// <remarks>
/// <para>Guarantees: handlers are never called concurrently with each other, and in the order the cache changed; the
/// cache is updated before the handlers hear of a change, so <see cref="Get"/> from a handler sees the new state; an
/// event whose resourceVersion is not newer than the cached copy's is dropped (no regression); after a relist,
/// handlers get <c>OnDelete</c> for objects that went away while the watch was down, <c>OnAdd</c> for new ones and
/// <c>OnUpdate</c> for changed ones, so no change is lost even when individual events were.</para>
/// <para>The cached objects are shared: callers and handlers must not modify them (copy first).</para>
/// </remarks>
public sealed class ResourceInformer<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A watch that delivered nothing and ended sooner than this is "very short" (client-go's term) and is
    /// retried with back-off rather than at once.</summary>
    private static readonly TimeSpan HealthyWatchDuration = TimeSpan.FromSeconds(1);

    /// <summary>How long past <see cref="InformerOptions.WatchTimeout"/> a watch may stay open before it is presumed dead.</summary>
    private static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(30);

    private readonly IKubernetes _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly OperatorMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly string _resource;
    private readonly string? _namespace;
    private readonly string? _labelSelector;

    /// <summary>Held while the cache changes and handlers are told, so notifications never overlap.</summary>
    private readonly Lock _dispatchLock = new();

    /// <summary>Held briefly around reads and writes of <see cref="_cache"/>; never while calling out.</summary>
    private readonly Lock _cacheLock = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<ObjectKey, T> _cache = [];
    private IResourceEventHandler<T>[] _handlers = [];
    private volatile string? _lastSyncResourceVersion;
    private int _running;

    /// <summary>Creates an informer; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="client">The API client.</param>
    /// <param name="options">What to watch; validated here.</param>
    /// <param name="logger">Logger; none by default.</param>
    /// <param name="metrics">Counts watch restarts by reason (closed, expired, error); optional.</param>
    /// <param name="time">Clock for back-off, resync and watch deadlines; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public ResourceInformer(IKubernetes client, InformerOptions options, ILogger<ResourceInformer<T>>? logger = null, OperatorMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _namespace = string.IsNullOrEmpty(options.Namespace) ? null : options.Namespace;
        _labelSelector = string.IsNullOrEmpty(options.LabelSelector) ? null : options.LabelSelector;
        _resource = string.IsNullOrEmpty(options.Group) ? $"{options.Plural}/{options.Version}" : $"{options.Plural}.{options.Group}/{options.Version}";
    }

    /// <summary>What this informer watches.</summary>
    public InformerOptions Options => _options;

    /// <summary>Whether the first list has been delivered to the handlers (and the cache holds it).</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>Whether <see cref="RunAsync"/> is running now.</summary>
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>The resourceVersion the cache is current to: the last list's, then the last watch event's or bookmark's.
    /// Null before the first list.</summary>
    public string? LastSyncResourceVersion => _lastSyncResourceVersion;

    /// <summary>Adds a handler. Best before <see cref="RunAsync"/>; a handler added later is first given
    /// <see cref="IResourceEventHandler{T}.OnAdd"/> for every object already cached (as client-go does), then the changes.</summary>
    /// <param name="handler">The handler.</param>
    public void AddHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatchLock)
        {
            _handlers = [.. _handlers, handler];
            foreach (var obj in Snapshot())
            {
                Notify(handler, nameof(IResourceEventHandler<T>.OnAdd), obj, static (h, o) => h.OnAdd(o));
            }
        }
    }

    /// <summary>Completes when the first list has been delivered (<see cref="HasSynced"/>).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes on sync.</returns>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>The cached object with this key, or null.</summary>
    /// <param name="key">Namespace (empty for cluster-scoped resources) and name.</param>
    /// <returns>The object (shared: do not modify it), or null.</returns>
    public T? Get(ObjectKey key)
    {
        lock (_cacheLock)
        {
            return _cache.GetValueOrDefault(key);
        }
    }

    /// <summary>A snapshot of the cache, in no particular order.</summary>
    /// <returns>The cached objects (shared: do not modify them).</returns>
    public IReadOnlyList<T> List() => Snapshot();

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled, then throws
    /// <see cref="OperationCanceledException"/> (the normal way to stop). Errors never end it: they are logged and
    /// retried with back-off. It may be run again after it stopped; the cache is kept and the next list brings it up
    /// to date.</summary>
    /// <param name="cancellationToken">Stops the informer.</param>
    /// <returns>A task that ends, cancelled, on shutdown.</returns>
    /// <exception cref="InvalidOperationException">The informer is already running.</exception>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (!TryEnterRun())
        {
            throw new InvalidOperationException($"The informer for {_resource} is already running; run it once and share it.");
        }

        return RunCoreAsync(cancellationToken);
    }

    /// <summary>Runs the informer unless it is running already (for the controller, which runs it when nobody else does).</summary>
    /// <returns>The run's task, or null when someone else runs it.</returns>
    internal Task? RunIfIdle(CancellationToken cancellationToken) => TryEnterRun() ? RunCoreAsync(cancellationToken) : null;

    /// <summary>Applies one watch event to the cache and tells the handlers (internal for tests).</summary>
    /// <returns>False when the event was dropped as stale or meaningless.</returns>
    internal bool Apply(WatchEventType type, T obj)
    {
        if (string.IsNullOrEmpty(obj.Metadata?.Name))
        {
            InformerLog.NamelessEvent(_logger, type, _resource);
            return false;
        }

        var key = ObjectKey.Of(obj);
        lock (_dispatchLock)
        {
            var old = Get(key);
            if (old is not null && !ResourceVersions.IsNewer(obj.Metadata.ResourceVersion, old.Metadata.ResourceVersion))
            {
                InformerLog.StaleEvent(_logger, type, _resource, key, obj.Metadata.ResourceVersion ?? "", old.Metadata.ResourceVersion ?? "");
                return false;
            }

            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    lock (_cacheLock)
                    {
                        _cache[key] = obj;
                    }

                    NotifyUpsert(old, obj);
                    return true;
                case WatchEventType.Deleted when old is not null:
                    lock (_cacheLock)
                    {
                        _cache.Remove(key);
                    }

                    NotifyAll(nameof(IResourceEventHandler<T>.OnDelete), obj, static (h, o) => h.OnDelete(o));
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>Replaces the cache with a full list and tells the handlers the difference (internal for tests).</summary>
    internal void Replace(IEnumerable<T> items, string? resourceVersion)
    {
        var fresh = new Dictionary<ObjectKey, T>();
        var order = new List<T>();
        foreach (var item in items)
        {
            if (string.IsNullOrEmpty(item?.Metadata?.Name))
            {
                InformerLog.NamelessListItem(_logger, _resource);
                continue;
            }

            if (fresh.TryAdd(ObjectKey.Of(item), item))
            {
                order.Add(item);
            }
        }

        lock (_dispatchLock)
        {
            Dictionary<ObjectKey, T> old;
            lock (_cacheLock)
            {
                old = _cache;
                _cache = fresh;
            }

            _lastSyncResourceVersion = resourceVersion;
            foreach (var (key, gone) in old)
            {
                if (!fresh.ContainsKey(key))
                {
                    NotifyAll(nameof(IResourceEventHandler<T>.OnDelete), gone, static (h, o) => h.OnDelete(o));
                }
            }

            foreach (var obj in order)
            {
                var before = old.GetValueOrDefault(ObjectKey.Of(obj));
                if (before is null || !string.Equals(before.Metadata.ResourceVersion, obj.Metadata.ResourceVersion, StringComparison.Ordinal))
                {
                    NotifyUpsert(before, obj);
                }
            }

            if (_synced.TrySetResult())
            {
                InformerLog.Synced(_logger, _resource, fresh.Count);
            }
        }
    }

    /// <summary>Hands every cached object to OnUpdate(obj, obj) (internal for tests).</summary>
    internal void Resync()
    {
        lock (_dispatchLock)
        {
            var all = Snapshot();
            foreach (var obj in all)
            {
                NotifyAll(nameof(IResourceEventHandler<T>.OnUpdate), obj, static (h, o) => h.OnUpdate(o, o));
            }

            InformerLog.Resynced(_logger, _resource, all.Length);
        }
    }

    private bool TryEnterRun() => Interlocked.CompareExchange(ref _running, 1, 0) == 0;

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            InformerLog.Starting(_logger, _resource, _namespace ?? "(all)", _labelSelector ?? "(none)");
            using var stopResync = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var resync = _options.ResyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(stopResync.Token) : Task.CompletedTask;
            try
            {
                await ListAndWatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                // Cancelling aborts the watch's HTTP stream, which can surface as an HttpRequestException ("response ended
                // prematurely") before the token is observed; a stop is a stop, whatever the transport said.
                throw new OperationCanceledException("The informer was stopped.", e, cancellationToken);
            }
            finally
            {
                await stopResync.CancelAsync().ConfigureAwait(false);
                await resync.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                InformerLog.Stopped(_logger, _resource, _lastSyncResourceVersion ?? "");
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_options.ResyncPeriod, _time, cancellationToken).ConfigureAwait(false);
            if (HasSynced)
            {
                Resync();
            }
        }
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.MinBackoff, _options.MaxBackoff);
        var relist = true;
        var expiredInARow = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (relist)
            {
                try
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    relist = false;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var delay = backoff.Next();
                    InformerLog.Retrying(_logger, e, "List", _resource, Describe(e), delay, backoff.Failures);
                    _metrics?.WatchRestarted("error");
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            var from = _lastSyncResourceVersion ?? "";
            var watch = await WatchOnceAsync(from, cancellationToken).ConfigureAwait(false);
            if (watch.Healthy)
            {
                backoff.Reset();
                expiredInARow = 0;
            }

            TimeSpan? wait = null;
            switch (watch.Outcome)
            {
                case WatchOutcome.Closed when watch.Healthy:
                    InformerLog.WatchClosed(_logger, _resource, from, watch.Events);
                    _metrics?.WatchRestarted("closed");
                    break;
                case WatchOutcome.Closed:
                    wait = backoff.Next();
                    InformerLog.Retrying(_logger, null, "Watch", _resource, "the server ended it at once without sending anything", wait.Value, backoff.Failures);
                    _metrics?.WatchRestarted("closed");
                    break;
                case WatchOutcome.Expired:
                    InformerLog.WatchExpired(_logger, _resource, from);
                    _metrics?.WatchRestarted("expired");
                    relist = true;

                    // Relist at once the first time; a server that keeps answering 410 gets back-off, not a list storm.
                    if (expiredInARow++ > 0)
                    {
                        wait = backoff.Next();
                    }

                    break;
                default:
                    wait = backoff.Next();
                    InformerLog.Retrying(_logger, watch.Error, "Watch", _resource, Describe(watch.Error), wait.Value, backoff.Failures);
                    _metrics?.WatchRestarted("error");
                    break;
            }

            if (wait is { } pause)
            {
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        int? limit = _options.PageSize > 0 ? _options.PageSize : null;
        var items = new List<T>();
        string? continueToken = null;
        string? resourceVersion = null;
        var pages = 0;
        while (true)
        {
            ResourceList<T> page;
            try
            {
                page = await ListPageAsync(limit, continueToken, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (continueToken is not null && e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                // The snapshot the pages were read from was compacted away; as client-go's pager, read it whole instead.
                InformerLog.ContinueExpired(_logger, _resource);
                (items, continueToken, limit, pages) = ([], null, null, 0);
                continue;
            }

            pages++;
            items.AddRange(page.Items ?? []);
            resourceVersion = page.Metadata?.ResourceVersion;
            continueToken = page.Metadata?.ContinueProperty;
            if (string.IsNullOrEmpty(continueToken))
            {
                break;
            }
        }

        InformerLog.Listed(_logger, items.Count, _resource, resourceVersion ?? "", pages);
        Replace(items, resourceVersion);
    }

    private async Task<ResourceList<T>> ListPageAsync(int? limit, string? continueToken, CancellationToken cancellationToken)
    {
        var operations = _client.CustomObjects;
        using var response = _namespace is null
            ? await operations.ListClusterCustomObjectWithHttpMessagesAsync<ResourceList<T>>(_options.Group, _options.Version, _options.Plural,
                continueParameter: continueToken, labelSelector: _labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await operations.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<T>>(_options.Group, _options.Version, _namespace, _options.Plural,
                continueParameter: continueToken, labelSelector: _labelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Body ?? throw new InvalidOperationException($"The API server answered a list of {_resource} with an empty body.");
    }

    private async Task<WatchResult> WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)Math.Ceiling(_options.WatchTimeout.TotalSeconds);
        using var deadline = new CancellationTokenSource(_options.WatchTimeout + WatchGrace, _time);
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = _time.GetTimestamp();
        var events = 0;
        Exception? streamError = null;
        try
        {
            // The client reports an ERROR event (a Status, e.g. 410 Expired) or an undecodable line through onError and
            // reads on; stop at once instead, since the stream can no longer be trusted to be complete.
            void OnError(Exception e)
            {
                streamError ??= e;
                _ = watchCts.CancelAsync();
            }

            var operations = _client.CustomObjects;
            var stream = _namespace is null
                ? operations.WatchListClusterCustomObjectAsync(_options.Group, _options.Version, _options.Plural, allowWatchBookmarks: true,
                    labelSelector: _labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: watchCts.Token)
                : operations.WatchListNamespacedCustomObjectAsync(_options.Group, _options.Version, _namespace, _options.Plural, allowWatchBookmarks: true,
                    labelSelector: _labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: watchCts.Token);
            await foreach (var (type, raw) in stream.ConfigureAwait(false))
            {
                events++;
                if (type == WatchEventType.Error)
                {
                    streamError ??= new InvalidOperationException($"The watch of {_resource} sent an ERROR event that is not a Status.");
                    break;
                }

                if (Decode(raw) is not { } obj)
                {
                    continue;
                }

                if (type != WatchEventType.Bookmark)
                {
                    Apply(type, obj);
                }

                if (!string.IsNullOrEmpty(obj.Metadata?.ResourceVersion))
                {
                    _lastSyncResourceVersion = obj.Metadata.ResourceVersion;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            streamError ??= new TimeoutException(
                $"The watch of {_resource} was still open {_options.WatchTimeout + WatchGrace} after it started, although the server was asked to end it after {timeoutSeconds} s.");
        }
        catch (HttpRequestException e) when (events == 0 && e.InnerException is EndOfStreamException && !cancellationToken.IsCancellationRequested)
        {
            // KubernetesClient reports a watch response that ends before its first line as an error; it is the server
            // closing the watch cleanly, and being very short it is retried with back-off below.
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            streamError ??= e;
        }

        var healthy = events > 0 || _time.GetElapsedTime(started) >= HealthyWatchDuration;
        var outcome = streamError switch
        {
            null => WatchOutcome.Closed,
            _ when IsGone(streamError) => WatchOutcome.Expired,
            _ => WatchOutcome.Error,
        };
        return new WatchResult(outcome, healthy, events, streamError);
    }

    /// <summary>The client hands watch objects out untyped (a <see cref="JsonElement"/>); its typed watch helper is obsolete.</summary>
    private static T? Decode(object raw) => raw switch
    {
        T typed => typed,
        JsonElement element => KubernetesJson.Deserialize<T>(element.GetRawText()),
        _ => throw new InvalidOperationException($"The watch produced a {raw?.GetType().Name ?? "null"}, not a JSON object."),
    };

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static string Describe(Exception? e) => e switch
    {
        null => "unknown",
        KubernetesException { Status: { } s } => string.Create(CultureInfo.InvariantCulture, $"{s.Code} {s.Reason}: {s.Message}"),
        HttpOperationException { Response: { } r } => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)r.StatusCode} {r.ReasonPhrase}"),
        _ => e.GetType().Name + ": " + e.Message,
    };

    private T[] Snapshot()
    {
        lock (_cacheLock)
        {
            return [.. _cache.Values];
        }
    }

    private void NotifyUpsert(T? old, T obj)
    {
        if (old is null)
        {
            NotifyAll(nameof(IResourceEventHandler<T>.OnAdd), obj, static (h, o) => h.OnAdd(o));
        }
        else if (!string.Equals(old.Metadata.Uid, obj.Metadata.Uid, StringComparison.Ordinal) && !string.IsNullOrEmpty(old.Metadata.Uid))
        {
            // Same name, new object: it was deleted and created again while we were not looking.
            NotifyAll(nameof(IResourceEventHandler<T>.OnDelete), old, static (h, o) => h.OnDelete(o));
            NotifyAll(nameof(IResourceEventHandler<T>.OnAdd), obj, static (h, o) => h.OnAdd(o));
        }
        else
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    handler.OnUpdate(old, obj);
                }
                catch (Exception e)
                {
                    InformerLog.HandlerFailed(_logger, e, handler.GetType().Name, nameof(IResourceEventHandler<T>.OnUpdate), _resource, ObjectKey.Of(obj));
                }
            }
        }
    }

    private void NotifyAll(string method, T obj, Action<IResourceEventHandler<T>, T> call)
    {
        foreach (var handler in _handlers)
        {
            Notify(handler, method, obj, call);
        }
    }

    private void Notify(IResourceEventHandler<T> handler, string method, T obj, Action<IResourceEventHandler<T>, T> call)
    {
        try
        {
            call(handler, obj);
        }
        catch (Exception e)
        {
            // A handler's bug must not stop the informer for every other handler and object.
            InformerLog.HandlerFailed(_logger, e, handler.GetType().Name, method, _resource, ObjectKey.Of(obj));
        }
    }

    private enum WatchOutcome
    {
        Closed,
        Expired,
        Error,
    }

    private readonly record struct WatchResult(WatchOutcome Outcome, bool Healthy, int Events, Exception? Error);
}
