using System.Text.Json;
using System.Threading.Channels;
using k8s;

namespace HpcK8s.KubeApiServer.Tests;

/// <summary>Runs a ComputeJob watch through the KubernetesClient in the background and hands its events out one by one.</summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly Channel<(WatchEventType Type, JsonElement Object)> _events = Channel.CreateUnbounded<(WatchEventType, JsonElement)>();
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _pump;

    private WatchRecorder(IKubernetes client, string? resourceVersion, bool bookmarks, string? labelSelector)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(Jobs.Group, Jobs.Version, Jobs.Namespace, Jobs.Plural,
                    allowWatchBookmarks: bookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion,
                    onError: e => Errors.Add(e), cancellationToken: _cts.Token);
                await foreach (var (type, obj) in events)
                {
                    _events.Writer.TryWrite((type, (JsonElement)obj));
                }

                _events.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _events.Writer.TryComplete(e);
            }
        });
    }

    /// <summary>Errors the client reported through onError (an ERROR event arrives as a KubernetesException).</summary>
    public List<Exception> Errors { get; } = [];

    public static WatchRecorder Start(IKubernetes client, string? resourceVersion = null, bool bookmarks = false, string? labelSelector = null) =>
        new(client, resourceVersion, bookmarks, labelSelector);

    public async Task<(WatchEventType Type, JsonElement Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next event that is not a bookmark.</summary>
    public async Task<(WatchEventType Type, TestComputeJob Job)> NextChangeAsync()
    {
        while (true)
        {
            var (type, obj) = await NextAsync();
            if (type != WatchEventType.Bookmark)
            {
                return (type, Jobs.ToJob(obj));
            }
        }
    }

    /// <summary>Waits for the watch to end; true if the stream ended (rather than failing).</summary>
    public async Task<bool> EndedAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (await _events.Reader.WaitToReadAsync(timeout.Token))
            {
                _events.Reader.TryRead(out _);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _pump;
        _cts.Dispose();
    }
}
