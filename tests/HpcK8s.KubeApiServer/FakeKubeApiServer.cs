using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HpcK8s.KubeApiServer.Internal;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpcK8s.KubeApiServer;

/// <summary>An in-process Kubernetes API server for tests, on Kestrel at <c>http://127.0.0.1:{free port}</c>, that the
/// real KubernetesClient talks to. It keeps what an operator relies on: one global, increasing resourceVersion; create
/// (409 AlreadyExists), get/404 as a Status, list with the list's resourceVersion (and limit/continue), replace with
/// optimistic concurrency (409 Conflict), merge and JSON patch, status and scale subresources, finalizers and
/// deletionTimestamp, and watch from a resourceVersion with bookmarks and 410 Expired after <see cref="Compact"/>.</summary>
/// <remarks>Not a full API server: no admission, no OpenAPI/CEL validation, no defaulting beyond Deployment
/// <c>spec.replicas</c>, no garbage collection of owned objects, no server-side apply, no namespaces as objects (any
/// namespace name is accepted), no authentication. Strategic merge patch on built-in types is applied as a merge patch
/// (lists are replaced, not merged by key).</remarks>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ResourceStore _store;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _bookmarks;
    private int _disposed;

    private FakeKubeApiServer(WebApplication app, ResourceStore store, TimeSpan bookmarkInterval)
    {
        _app = app;
        _store = store;
        _bookmarks = SendBookmarksAsync(bookmarkInterval, _stopping.Token);
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:40123</c>; use it as the client's <c>Host</c>.</summary>
    public string Url => _app.Urls.Single();

    /// <summary>The last resourceVersion handed out (every write moves it by one).</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>How many watch connections are open now.</summary>
    public int WatchCount => _store.WatchCount;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeKubeApiServer> StartAsync(FakeKubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKubeApiServerOptions();
        if (options.BookmarkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BookmarkInterval, "FakeKubeApiServerOptions.BookmarkInterval must be positive.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var store = new ResourceStore(options.TimeProvider);
        var server = new FakeKubeApiServer(app, store, options.BookmarkInterval);
        var router = new ApiRouter(store, [.. options.Resources], server._requests.Enqueue, server._stopping.Token);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>A KubernetesClient pointed at this server.</summary>
    public Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = Url });

    /// <summary>Forgets the change history up to now, as etcd compaction does: watching or reading exactly
    /// (<c>resourceVersionMatch=Exact</c>, continue tokens) from an older resourceVersion then fails with 410 Expired.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Ends every open watch. By default the responses end cleanly (as when the API server's watch timeout
    /// passes); with <paramref name="abortConnections"/> the TCP connections are cut instead.</summary>
    public void DropWatches(bool abortConnections = false) => _store.DropWatches(abortConnections);

    /// <summary>Makes the next write (create, update, patch, delete; any resource) fail with this status and change nothing.
    /// Calls queue up: two calls fail the next two writes.</summary>
    public void FailNextWrite(int statusCode = 500, string reason = "InternalError", string message = "injected failure") =>
        _store.FailNextWrite(new ApiException(statusCode, reason, message));

    /// <summary>A copy of a stored object, or null; reads without going through HTTP and without recording a request.</summary>
    public JsonObject? GetObject(ApiResource resource, string ns, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return _store.Peek(resource, ns, name);
    }

    /// <summary>Ends watches and stops Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _store.DropWatches(abort: false);
        await _bookmarks;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task SendBookmarksAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _store.SendBookmarks();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
