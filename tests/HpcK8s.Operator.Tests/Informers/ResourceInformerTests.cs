using System.Globalization;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using k8s;
using k8s.Models;

namespace HpcK8s.Operator.Tests.Informers;

public sealed class ResourceInformerTests : KubeTestBase
{
    [Fact]
    public async Task FirstList_DeliversEveryObject_ThenWatchedChangesArriveInOrder()
    {
        await CreateJobAsync("a");
        await CreateJobAsync("b");
        await CreateJobAsync("c");

        var (informer, handler) = StartJobInformer();
        await SyncedAsync(informer);

        Assert.True(informer.HasSynced);
        Assert.Equal(["add jobs/a", "add jobs/b", "add jobs/c"], handler.Changes.Select(n => $"{n.Kind} {n.Key}"));
        Assert.Equal(Server.ResourceVersion.ToString(CultureInfo.InvariantCulture), informer.LastSyncResourceVersion);

        await CreateJobAsync("d");
        await PatchJobAsync("a", new { spec = new { shards = 2 } });
        await DeleteJobAsync("b");
        await Eventually.TrueAsync(() => handler.Changes.Count == 6, "the three changes arrived");

        Assert.Equal(["add jobs/d", "update jobs/a", "delete jobs/b"], handler.Changes.Skip(3).Select(n => $"{n.Kind} {n.Key}"));
        var versions = handler.Changes.Skip(3).Select(n => long.Parse(n.ResourceVersion!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(await ServerJobsAsync(), CacheOf(informer));
        Assert.Null(informer.Get(new ObjectKey(Ns, "b")));
        Assert.Equal(2, informer.Get(new ObjectKey(Ns, "a"))!.Spec.Shards);
        Assert.Equal(1, handler.MaxConcurrent);
    }

    [Fact]
    public async Task FirstList_IsPaged_WithLimitAndContinue()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateJobAsync($"j{i}");
        }

        var options = JobOptions();
        var (informer, handler) = StartJobInformer(new InformerOptions
        {
            Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, PageSize = 2, ResyncPeriod = TimeSpan.Zero,
        });
        await SyncedAsync(informer);

        var lists = Requests(ComputeJobResource.Plural, watch: false);
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Contains("limit=2", r.Query, StringComparison.Ordinal));
        Assert.Equal(2, lists.Count(r => r.Query.Contains("continue=", StringComparison.Ordinal)));
        Assert.Equal(5, handler.Changes.Count(n => n.Kind == "add"));
        Assert.Equal(await ServerJobsAsync(), CacheOf(informer));
    }

    [Fact]
    public async Task PagedList_WhoseContinueTokenExpires_FallsBackToOneWholeList()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateJobAsync($"j{i}");
        }

        // Just before the second page is asked for, write and compact: its continue token then points into forgotten history.
        var beforeContinue = new BeforeFirstContinue(async () =>
        {
            await CreateJobAsync("late");
            Server.Compact();
        });
        using var compacting = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Server.Url }, beforeContinue);
        var options = JobOptions();
        var logger = new ListLogger<ResourceInformer<V1Alpha1ComputeJob>>();
        var (informer, handler) = StartJobInformer(
            new InformerOptions { Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, PageSize = 2, ResyncPeriod = TimeSpan.Zero },
            compacting,
            logger);
        await SyncedAsync(informer);

        var lists = Requests(ComputeJobResource.Plural, watch: false).Select(r => r.Query).ToList();
        Assert.Equal(3, lists.Count);
        Assert.Contains("continue=", lists[1], StringComparison.Ordinal);
        Assert.DoesNotContain("limit=", lists[2], StringComparison.Ordinal);
        Assert.Single(logger.Named("ContinueExpired"));
        Assert.Equal(6, handler.Changes.Count);
        Assert.Equal(await ServerJobsAsync(), CacheOf(informer));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedWatches_CleanOrAborted_ReWatchFromTheLastVersion_AndLoseNothing(bool abortConnections)
    {
        await CreateJobAsync("seed");
        var (informer, handler) = StartJobInformer();
        await SyncedAsync(informer);
        var listVersion = long.Parse(informer.LastSyncResourceVersion!, CultureInfo.InvariantCulture);

        using (var writer = Server.CreateClient())
        {
            for (var i = 0; i < 30; i++)
            {
                await CreateJobAsync($"j{i}", client: writer);
                await PatchJobAsync($"j{i}", new { spec = new { parallelism = 1 } }, client: writer);
                if (i % 5 == 4)
                {
                    Server.DropWatches(abortConnections);
                }
            }

            await DeleteJobAsync("seed", client: writer);
        }

        var last = Server.ResourceVersion;
        await Eventually.TrueAsync(
            () => handler.Changes.Count > 0 && handler.Changes[^1].ResourceVersion == last.ToString(CultureInfo.InvariantCulture),
            "the informer saw the last write");

        // Every write after the list arrives exactly once, in order, and the cache ends equal to the server.
        var observed = handler.Changes.Select(n => long.Parse(n.ResourceVersion!, CultureInfo.InvariantCulture)).Where(v => v > listVersion);
        Assert.Equal(Enumerable.Range(1, (int)(last - listVersion)).Select(i => listVersion + i), observed);
        Assert.Equal(await ServerJobsAsync(), CacheOf(informer));
        Assert.Single(Requests(ComputeJobResource.Plural, watch: false));
        Assert.True(Requests(ComputeJobResource.Plural, watch: true).Count >= 2);
    }

    [Fact]
    public async Task CompactionWhileDisconnected_410Gone_RelistsAndReportsWhatChangedMeanwhile()
    {
        await using var gate = TcpGate.Closed(Server.Url);
        gate.Open();
        using var viaGate = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = gate.Url });
        await CreateJobAsync("a");
        await CreateJobAsync("b");
        await CreateJobAsync("c");
        var logger = new ListLogger<ResourceInformer<V1Alpha1ComputeJob>>();
        var (informer, handler) = StartJobInformer(client: viaGate, logger: logger);
        await SyncedAsync(informer);

        await gate.CloseAsync();
        await DeleteJobAsync("b");
        await PatchJobAsync("c", new { spec = new { shards = 3 } });
        await CreateJobAsync("d");
        Server.Compact();
        gate.Open();

        await Eventually.TrueAsync(() => handler.Changes.Count == 6, "the relist reported the three changes");
        Assert.Equal(["delete jobs/b", "update jobs/c", "add jobs/d"], handler.Changes.Skip(3).Select(n => $"{n.Kind} {n.Key}"));
        Assert.NotEmpty(logger.Named("WatchExpired"));
        Assert.Equal(2, Requests(ComputeJobResource.Plural, watch: false).Count);
        Assert.Equal(await ServerJobsAsync(), CacheOf(informer));

        // And it watches on from the relist.
        await CreateJobAsync("e");
        await Eventually.TrueAsync(() => handler.Changes.Count == 7, "the watch after the relist delivered a new object");
    }

    [Fact]
    public async Task Bookmarks_AdvanceTheResourceVersion_WithoutHandlerCalls_AndTheNextWatchStartsThere()
    {
        await CreateJobAsync("a");
        var (informer, handler) = StartJobInformer();
        await SyncedAsync(informer);
        var before = handler.Seen.Count;

        // A write the informer does not watch moves the one global resourceVersion; only a bookmark can tell it.
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "other" } }, Ns);
        var target = Server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => informer.LastSyncResourceVersion == target, "a bookmark moved LastSyncResourceVersion");

        Assert.Equal(before, handler.Seen.Count);
        Assert.All(Requests(ComputeJobResource.Plural, watch: true), r => Assert.Contains("allowWatchBookmarks=true", r.Query, StringComparison.Ordinal));

        Server.DropWatches();
        await Eventually.TrueAsync(
            () => Requests(ComputeJobResource.Plural, watch: true).Any(r => r.Query.Contains($"resourceVersion={target}&", StringComparison.Ordinal) || r.Query.EndsWith($"resourceVersion={target}", StringComparison.Ordinal)),
            "the informer re-watched from the bookmark's version");
    }

    [Fact]
    public async Task WatchTimeout_IsSentAsTimeoutSeconds_AndTheServersCloseLeadsToAReWatch()
    {
        await CreateJobAsync("a");
        var options = JobOptions();
        var (informer, handler) = StartJobInformer(new InformerOptions
        {
            Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, ResyncPeriod = TimeSpan.Zero, WatchTimeout = TimeSpan.FromSeconds(1),
        });
        await SyncedAsync(informer);

        await Eventually.TrueAsync(() => Requests(ComputeJobResource.Plural, watch: true).Count >= 2, "a second watch after the first timed out");
        Assert.All(Requests(ComputeJobResource.Plural, watch: true), r => Assert.Contains("timeoutSeconds=1", r.Query, StringComparison.Ordinal));
        await CreateJobAsync("b");
        await Eventually.TrueAsync(() => handler.Changes.Count == 2, "the new watch delivers");
        Assert.Single(Requests(ComputeJobResource.Plural, watch: false));
    }

    [Fact]
    public async Task Resync_CallsOnUpdateWithTheSameInstance_ForEveryCachedObject_NeverConcurrently()
    {
        await CreateJobAsync("a");
        await CreateJobAsync("b");
        var options = JobOptions();
        var (informer, handler) = StartJobInformer(new InformerOptions
        {
            Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, ResyncPeriod = TimeSpan.FromMilliseconds(20),
        });
        handler.Inside = () => Thread.SpinWait(2_000);
        await SyncedAsync(informer);

        // Writes race the resyncs: the handler must still never be entered twice at once.
        for (var i = 0; i < 10; i++)
        {
            await CreateJobAsync($"w{i}");
        }

        await Eventually.TrueAsync(
            () => handler.Seen.Count(n => n.SameInstance && n.Key == "jobs/a") >= 2 && handler.Seen.Count(n => n.SameInstance && n.Key == "jobs/w9") >= 2,
            "two resyncs reached the first and the last object");
        Assert.All(handler.Seen.Where(n => n.SameInstance), n => Assert.Equal("update", n.Kind));
        Assert.Equal(12, handler.Changes.Count);
        Assert.Equal(1, handler.MaxConcurrent);
    }

    [Fact]
    public async Task UnreachableApiServer_RetriesWithGrowingJitteredDelays_ThenRecovers()
    {
        await CreateJobAsync("a");
        await using var gate = TcpGate.Closed(Server.Url);
        using var viaGate = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = gate.Url });
        var logger = new ListLogger<ResourceInformer<V1Alpha1ComputeJob>>();
        var min = TimeSpan.FromMilliseconds(20);
        var max = TimeSpan.FromMilliseconds(160);
        var options = JobOptions();
        var (informer, handler) = StartJobInformer(
            new InformerOptions { Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, ResyncPeriod = TimeSpan.Zero, MinBackoff = min, MaxBackoff = max },
            viaGate,
            logger);

        await Eventually.TrueAsync(() => logger.Named("Retrying").Count >= 6, "six retries were logged");
        var delays = logger.Named("Retrying").Take(6).Select(e => (TimeSpan)e.State["Delay"]!).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            // The n-th delay in a row lies in [max(min, d/2), d], d = min(min·2ⁿ, max).
            var ceiling = TimeSpan.FromTicks(Math.Min(max.Ticks, min.Ticks << i));
            Assert.InRange(delays[i], ceiling / 2 < min ? min : ceiling / 2, ceiling);
        }

        Assert.True(delays[3] >= delays[0] * 2, $"the delays grow: {string.Join(", ", delays)}");
        Assert.False(informer.HasSynced);

        gate.Open();
        await SyncedAsync(informer);
        Assert.Equal(["add jobs/a"], handler.Changes.Select(n => $"{n.Kind} {n.Key}"));
    }

    [Fact]
    public async Task LabelSelector_ObjectsJoiningAndLeavingTheSelection_AreAddsAndDeletes()
    {
        var gold = new Dictionary<string, string> { ["tier"] = "gold" };
        await CreateJobAsync("x", labels: gold);
        await CreateJobAsync("y", labels: new Dictionary<string, string> { ["tier"] = "silver" });
        var options = JobOptions();
        var (informer, handler) = StartJobInformer(new InformerOptions
        {
            Group = options.Group, Version = options.Version, Plural = options.Plural, Namespace = Ns, ResyncPeriod = TimeSpan.Zero, LabelSelector = "tier=gold",
        });
        await SyncedAsync(informer);
        Assert.Equal(["add jobs/x"], handler.Changes.Select(n => $"{n.Kind} {n.Key}"));

        await PatchJobAsync("y", new { metadata = new { labels = gold } });
        await PatchJobAsync("x", new { metadata = new { labels = new { tier = "bronze" } } });

        await Eventually.TrueAsync(() => handler.Changes.Count == 3, "y joined and x left");
        Assert.Equal(["add jobs/y", "delete jobs/x"], handler.Changes.Skip(1).Select(n => $"{n.Kind} {n.Key}"));
        Assert.Equal(["jobs/y"], informer.List().Select(j => $"{j.Metadata.NamespaceProperty}/{j.Metadata.Name}"));
    }

    [Fact]
    public async Task NoNamespace_WatchesAllNamespaces()
    {
        await CreateJobAsync("a", ns: "one");
        var (informer, handler) = StartJobInformer(JobOptions(ns: null));
        await SyncedAsync(informer);

        await CreateJobAsync("b", ns: "two");

        await Eventually.TrueAsync(() => handler.Changes.Count == 2, "objects from both namespaces arrived");
        Assert.Equal(await ServerJobsAsync(ns: null), CacheOf(informer));
        Assert.NotNull(informer.Get(new ObjectKey("two", "b")));
    }

    [Fact]
    public async Task HandlerAddedAfterSync_FirstGetsEveryCachedObject_ThenChanges()
    {
        await CreateJobAsync("a");
        await CreateJobAsync("b");
        var (informer, _) = StartJobInformer();
        await SyncedAsync(informer);

        var late = new RecordingHandler<V1Alpha1ComputeJob>();
        informer.AddHandler(late);
        await CreateJobAsync("c");

        await Eventually.TrueAsync(() => late.Changes.Count == 3, "the late handler caught up");
        Assert.Equal(["add jobs/a", "add jobs/b", "add jobs/c"], late.Changes.Select(n => $"{n.Kind} {n.Key}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HandlerThatThrows_IsLogged_AndOtherHandlersAndLaterEventsGoOn()
    {
        var logger = new ListLogger<ResourceInformer<V1Alpha1ComputeJob>>();
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions(), logger);
        informer.AddHandler(new ThrowingHandler());
        var handler = new RecordingHandler<V1Alpha1ComputeJob>();
        informer.AddHandler(handler);
        _ = RunUntilDisposed(informer.RunAsync);
        await SyncedAsync(informer);

        await CreateJobAsync("a");
        await CreateJobAsync("b");

        await Eventually.TrueAsync(() => handler.Changes.Count == 2, "both objects reached the second handler");
        Assert.Equal(2, logger.Named("HandlerFailed").Count);
    }

    [Fact]
    public void Apply_EventsNotNewerThanTheCache_AreDropped()
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        var handler = new RecordingHandler<V1Alpha1ComputeJob>();
        informer.AddHandler(handler);

        Assert.True(informer.Apply(WatchEventType.Added, Job("a", "5")));
        Assert.False(informer.Apply(WatchEventType.Modified, Job("a", "4")));
        Assert.False(informer.Apply(WatchEventType.Modified, Job("a", "5")));
        Assert.False(informer.Apply(WatchEventType.Added, Job("a", "3")));
        Assert.False(informer.Apply(WatchEventType.Deleted, Job("a", "2")));
        Assert.Equal("5", informer.Get(new ObjectKey(Ns, "a"))!.Metadata.ResourceVersion);
        Assert.True(informer.Apply(WatchEventType.Modified, Job("a", "6")));
        Assert.True(informer.Apply(WatchEventType.Deleted, Job("a", "7")));
        Assert.False(informer.Apply(WatchEventType.Deleted, Job("gone", "8")));
        Assert.True(informer.Apply(WatchEventType.Modified, Job("new", "9")));

        Assert.Equal(["add jobs/a@5", "update jobs/a@6", "delete jobs/a@7", "add jobs/new@9"], handler.Seen.Select(n => $"{n.Kind} {n.Key}@{n.ResourceVersion}"));
    }

    [Fact]
    public void Replace_SameNameNewUid_IsADeleteAndAnAdd_AndUnchangedObjectsAreQuiet()
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        var handler = new RecordingHandler<V1Alpha1ComputeJob>();
        informer.AddHandler(handler);
        informer.Replace([Job("a", "1", "uid-1"), Job("b", "2")], "2");

        informer.Replace([Job("a", "5", "uid-2"), Job("b", "2")], "5");

        Assert.Equal(["add jobs/a@1", "add jobs/b@2", "delete jobs/a@1", "add jobs/a@5"], handler.Seen.Select(n => $"{n.Kind} {n.Key}@{n.ResourceVersion}"));
        Assert.Equal("5", informer.LastSyncResourceVersion);
    }

    [Fact]
    public async Task RunAsync_Twice_Throws_AndCancellationEndsItWithOperationCanceled()
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await SyncedAsync(informer);

        Assert.True(informer.IsRunning);
        Assert.Throws<InvalidOperationException>(() => { _ = informer.RunAsync(CancellationToken.None); });

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.WithinAsync(run, "the informer after cancellation"));
        Assert.False(informer.IsRunning);
    }

    public static TheoryData<string, Func<InformerOptions, InformerOptions>> BadOptions => new()
    {
        { "Version", o => Copy(o, version: "") },
        { "Plural", o => Copy(o, plural: "") },
        { "Group", o => Copy(o, group: "a/b") },
        { "ResyncPeriod", o => Copy(o, resync: TimeSpan.FromSeconds(-1)) },
        { "WatchTimeout", o => Copy(o, watchTimeout: TimeSpan.FromMilliseconds(500)) },
        { "MinBackoff", o => Copy(o, minBackoff: TimeSpan.Zero) },
        { "MaxBackoff", o => Copy(o, maxBackoff: TimeSpan.FromMilliseconds(1)) },
        { "PageSize", o => Copy(o, pageSize: -1) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_InvalidOptions_ThrowsNamingTheProperty(string property, Func<InformerOptions, InformerOptions> spoil)
    {
        var e = Assert.Throws<ArgumentException>(() => new ResourceInformer<V1Alpha1ComputeJob>(Client, spoil(JobOptions())));

        Assert.Contains($"InformerOptions.{property}", e.Message, StringComparison.Ordinal);
    }

    private static InformerOptions Copy(
        InformerOptions o, string? group = null, string? version = null, string? plural = null, TimeSpan? resync = null, TimeSpan? watchTimeout = null,
        TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null, int? pageSize = null) => new()
        {
            Group = group ?? o.Group,
            Version = version ?? o.Version,
            Plural = plural ?? o.Plural,
            Namespace = o.Namespace,
            ResyncPeriod = resync ?? o.ResyncPeriod,
            WatchTimeout = watchTimeout ?? o.WatchTimeout,
            MinBackoff = minBackoff ?? o.MinBackoff,
            MaxBackoff = maxBackoff ?? o.MaxBackoff,
            PageSize = pageSize ?? o.PageSize,
        };

    private static V1Alpha1ComputeJob Job(string name, string resourceVersion, string? uid = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, ResourceVersion = resourceVersion, Uid = uid } };

    private sealed class BeforeFirstContinue(Func<Task> action) : DelegatingHandler
    {
        private int _done;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Query.Contains("continue=", StringComparison.Ordinal) && Interlocked.Exchange(ref _done, 1) == 0)
            {
                await action();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class ThrowingHandler : IResourceEventHandler<V1Alpha1ComputeJob>
    {
        public void OnAdd(V1Alpha1ComputeJob obj) => throw new InvalidOperationException("handler bug");

        public void OnUpdate(V1Alpha1ComputeJob oldObj, V1Alpha1ComputeJob newObj) => throw new InvalidOperationException("handler bug");

        public void OnDelete(V1Alpha1ComputeJob obj) => throw new InvalidOperationException("handler bug");
    }
}
