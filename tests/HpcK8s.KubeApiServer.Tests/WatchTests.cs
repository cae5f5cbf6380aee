using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class WatchTests : IAsyncLifetime
{
    private FakeKubeApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Watch_NoResourceVersion_StartsWithAddedForEveryExistingObject()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));

        await using var watch = WatchRecorder.Start(_client);

        var first = await watch.NextChangeAsync();
        var second = await watch.NextChangeAsync();
        Assert.Equal((WatchEventType.Added, "a"), (first.Type, first.Job.Metadata.Name));
        Assert.Equal((WatchEventType.Added, "b"), (second.Type, second.Job.Metadata.Name));
    }

    [Fact]
    public async Task Watch_FromAResourceVersion_ReplaysOnlyLaterChanges()
    {
        var a = await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));
        await Jobs.PatchAsync(_client, "a", new { spec = new { parallelism = 2 } });

        await using var watch = WatchRecorder.Start(_client, a.Metadata.ResourceVersion);

        var first = await watch.NextChangeAsync();
        var second = await watch.NextChangeAsync();
        Assert.Equal((WatchEventType.Added, "b"), (first.Type, first.Job.Metadata.Name));
        Assert.Equal((WatchEventType.Modified, "a"), (second.Type, second.Job.Metadata.Name));
        Assert.Equal(2, second.Job.Spec!.Parallelism);
    }

    [Fact]
    public async Task ListThenWatch_WritesRacingTheWatch_EveryResourceVersionArrivesOnceInOrder()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("seed"));
        var (_, listRv, _) = await Jobs.ListAsync(_client);

        // Writes start before the watch is open, so some land between the list and the watch: the watch must replay them.
        var writer = Task.Run(async () =>
        {
            using var client = _server.CreateClient();
            for (var i = 0; i < 20; i++)
            {
                await Jobs.CreateAsync(client, TestComputeJob.New($"j{i}"));
                await Jobs.PatchAsync(client, $"j{i}", new { spec = new { parallelism = 1 } });
            }

            await Jobs.DeleteAsync(client, "seed");
        });
        await using var watch = WatchRecorder.Start(_client, listRv);
        await writer;

        var last = _server.ResourceVersion;
        var seen = new List<long>();
        while (seen.Count == 0 || seen[^1] < last)
        {
            seen.Add(long.Parse((await watch.NextChangeAsync()).Job.Metadata.ResourceVersion));
        }

        Assert.Equal(Enumerable.Range(0, (int)(last - long.Parse(listRv))).Select(i => long.Parse(listRv) + 1 + i), seen);
    }

    [Fact]
    public async Task Watch_WithFinalizer_DeleteIsModifiedThenDeletedWhenTheFinalizerGoes()
    {
        var job = TestComputeJob.New("pi");
        job.Metadata.Finalizers = ["hpck8s.io/cleanup"];
        var created = await Jobs.CreateAsync(_client, job);
        await using var watch = WatchRecorder.Start(_client, created.Metadata.ResourceVersion);

        await Jobs.DeleteAsync(_client, "pi");
        await Jobs.PatchAsync(_client, "pi", new { metadata = new { finalizers = Array.Empty<string>() } });

        var deleting = await watch.NextChangeAsync();
        var deleted = await watch.NextChangeAsync();
        Assert.Equal(WatchEventType.Modified, deleting.Type);
        Assert.NotNull(deleting.Job.Metadata.DeletionTimestamp);
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal(_server.ResourceVersion.ToString(), deleted.Job.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_AllowWatchBookmarks_SendsBookmarksCarryingTheCurrentResourceVersion()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await using var watch = WatchRecorder.Start(_client, created.Metadata.ResourceVersion, bookmarks: true);

        var (type, obj) = await watch.NextAsync();

        Assert.Equal(WatchEventType.Bookmark, type);
        Assert.Equal("ComputeJob", obj.GetProperty("kind").GetString());
        Assert.Equal(created.Metadata.ResourceVersion, obj.GetProperty("metadata").GetProperty("resourceVersion").GetString());
    }

    [Fact]
    public async Task Watch_FromBeforeTheCompactionPoint_GetsAnErrorEvent410Expired()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });
        _server.Compact();

        await using var watch = WatchRecorder.Start(_client, created.Metadata.ResourceVersion);

        Assert.True(await watch.EndedAsync());
        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
    }

    [Fact]
    public async Task Watch_FromTheCompactionPoint_StillWorks()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        _server.Compact();
        var rv = _server.ResourceVersion.ToString();
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });

        await using var watch = WatchRecorder.Start(_client, rv);

        Assert.Equal(WatchEventType.Modified, (await watch.NextChangeAsync()).Type);
    }

    [Fact]
    public async Task Watch_RawHttp_StreamsOneJsonEventPerLine()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });
        _server.Compact();
        using var http = new HttpClient { BaseAddress = new Uri(_server.Url), Timeout = TimeSpan.FromSeconds(5) };
        const string Path = "/apis/hpck8s.io/v1alpha1/namespaces/jobs/computejobs?watch=true&resourceVersion=";

        using var response = await http.GetAsync(Path + _server.ResourceVersion + "&allowWatchBookmarks=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var bookmark = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        var expired = JsonNode.Parse(await http.GetStringAsync(Path + created.Metadata.ResourceVersion))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
        Assert.Equal(_server.ResourceVersion.ToString(), (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("ERROR", (string?)expired["type"]);
        Assert.Equal("Status", (string?)expired["object"]!["kind"]);
        Assert.Equal("Failure", (string?)expired["object"]!["status"]);
        Assert.Equal("Expired", (string?)expired["object"]!["reason"]);
        Assert.Equal(410, (int?)expired["object"]!["code"]);
    }

    [Fact]
    public async Task List_ExactResourceVersion_ReturnsTheStateAtThatVersion()
    {
        var a = await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await Jobs.PatchAsync(_client, "a", new { spec = new { parallelism = 3 } });
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));

        var (items, rv, _) = await Jobs.ListAsync(_client, a.Metadata.ResourceVersion, "Exact");

        Assert.Equal(a.Metadata.ResourceVersion, rv);
        var only = Assert.Single(items);
        Assert.Null(only.Spec!.Parallelism);
    }

    [Fact]
    public async Task List_ExactResourceVersionBeforeTheCompactionPoint_Fails410Expired()
    {
        var a = await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));
        _server.Compact();

        var code = await Jobs.FailsWithAsync(() => Jobs.ListAsync(_client, a.Metadata.ResourceVersion, "Exact"), "Expired");

        Assert.Equal(HttpStatusCode.Gone, code);
    }

    [Fact]
    public async Task List_ContinueTokenFromBeforeTheCompactionPoint_Fails410Expired()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));
        var first = await Jobs.ListAsync(_client, limit: 1);
        await Jobs.CreateAsync(_client, TestComputeJob.New("c"));
        _server.Compact();

        var code = await Jobs.FailsWithAsync(() => Jobs.ListAsync(_client, limit: 1, continueToken: first.Continue), "Expired");

        Assert.Equal(HttpStatusCode.Gone, code);
    }

    [Fact]
    public async Task DropWatches_OpenWatch_EndsItAndAWatchResumedFromTheLastSeenVersionMissesNothing()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var first = WatchRecorder.Start(_client, created.Metadata.ResourceVersion);
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });
        var lastSeen = (await first.NextChangeAsync()).Job.Metadata.ResourceVersion;

        _server.DropWatches();
        Assert.True(await first.EndedAsync());
        await first.DisposeAsync();
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 3 } });
        await using var resumed = WatchRecorder.Start(_client, lastSeen);

        var missed = await resumed.NextChangeAsync();
        Assert.Equal(3, missed.Job.Spec!.Parallelism);
    }

    [Fact]
    public async Task DropWatches_AbortConnections_CutsTheStream()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await using var watch = WatchRecorder.Start(_client, created.Metadata.ResourceVersion, bookmarks: true);
        await watch.NextAsync();

        _server.DropWatches(abortConnections: true);

        await watch.EndedAsync();
        Assert.Equal(0, _server.WatchCount);
    }

    [Fact]
    public async Task Watch_LabelSelector_AnObjectLeavingTheSelectorArrivesAsDeleted()
    {
        var job = TestComputeJob.New("pi");
        job.Metadata.Labels = new Dictionary<string, string> { ["team"] = "x" };
        var created = await Jobs.CreateAsync(_client, job);
        await Jobs.CreateAsync(_client, TestComputeJob.New("other"));
        await using var watch = WatchRecorder.Start(_client, created.Metadata.ResourceVersion, labelSelector: "team=x");

        await Jobs.PatchAsync(_client, "pi", new { metadata = new { labels = new { team = "y" } } });
        await Jobs.PatchAsync(_client, "pi", new { metadata = new { labels = new { team = "x" } } });

        Assert.Equal(WatchEventType.Deleted, (await watch.NextChangeAsync()).Type);
        Assert.Equal(WatchEventType.Added, (await watch.NextChangeAsync()).Type);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var events = _client.CustomObjects.WatchListNamespacedCustomObjectAsync(Jobs.Group, Jobs.Version, Jobs.Namespace, Jobs.Plural,
            allowWatchBookmarks: true, resourceVersion: created.Metadata.ResourceVersion, timeoutSeconds: 1);

        var count = 0;
        await foreach (var _ in events)
        {
            count++;
        }

        Assert.True(count > 0);
        Assert.Equal(0, _server.WatchCount);
    }

    [Fact]
    public async Task List_TooLargeResourceVersion_Fails504()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Jobs.ListAsync(_client, (_server.ResourceVersion + 10).ToString()));

        Assert.Equal(HttpStatusCode.GatewayTimeout, e.Response.StatusCode);
    }

    [Fact]
    public async Task WatchAllNamespaces_ChangesInTwoNamespaces_SeesBoth()
    {
        var start = _server.ResourceVersion.ToString();
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(TestComputeJob.New("pi", ns: "other"), Jobs.Group, Jobs.Version, "other", Jobs.Plural);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var seen = new List<string>();
        await foreach (var (_, obj) in _client.CustomObjects.WatchListClusterCustomObjectAsync(Jobs.Group, Jobs.Version, Jobs.Plural, resourceVersion: start, cancellationToken: cts.Token))
        {
            seen.Add(Jobs.ToJob((System.Text.Json.JsonElement)obj).Metadata.NamespaceProperty);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([Jobs.Namespace, "other"], seen);
    }
}
