using System.Text.Json;
using HpcK8s.KubeApiServer;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using HpcK8s.Operator.Telemetry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>A fresh in-process API server per test, ComputeJob helpers, and informers/controllers that are stopped
/// (and awaited) when the test ends.</summary>
public abstract class KubeTestBase : IAsyncLifetime
{
    protected const string Ns = "jobs";

    private readonly List<(CancellationTokenSource Stop, Task Run)> _running = [];

    protected FakeKubeApiServer Server { get; private set; } = null!;

    protected k8s.Kubernetes Client { get; private set; } = null!;

    protected virtual TimeSpan BookmarkInterval => TimeSpan.FromMilliseconds(100);

    public async Task InitializeAsync()
    {
        Server = await FakeKubeApiServer.StartAsync(new FakeKubeApiServerOptions { BookmarkInterval = BookmarkInterval });
        Client = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var (stop, run) in _running)
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.WithinAsync(run, "an informer or controller after cancellation"));
            stop.Dispose();
        }

        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Watch ComputeJobs in <see cref="Ns"/>, with back-off short enough for tests and no resync.</summary>
    protected static InformerOptions JobOptions(string? ns = Ns) => new()
    {
        Group = ComputeJobResource.Group,
        Version = ComputeJobResource.Version,
        Plural = ComputeJobResource.Plural,
        Namespace = ns,
        ResyncPeriod = TimeSpan.Zero,
        MinBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Creates a ComputeJob informer with a recording handler and runs it until the test ends.</summary>
    protected (ResourceInformer<V1Alpha1ComputeJob> Informer, RecordingHandler<V1Alpha1ComputeJob> Handler) StartJobInformer(
        InformerOptions? options = null, IKubernetes? client = null, ILogger<ResourceInformer<V1Alpha1ComputeJob>>? logger = null, OperatorMetrics? metrics = null)
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(client ?? Client, options ?? JobOptions(), logger, metrics);
        var handler = new RecordingHandler<V1Alpha1ComputeJob>();
        informer.AddHandler(handler);
        _ = RunUntilDisposed(informer.RunAsync);
        return (informer, handler);
    }

    /// <summary>Runs something until the test ends; it must then end with <see cref="OperationCanceledException"/>.</summary>
    protected Task RunUntilDisposed(Func<CancellationToken, Task> run)
    {
        var stop = new CancellationTokenSource();
        var task = run(stop.Token);
        _running.Add((stop, task));
        return task;
    }

    protected static async Task SyncedAsync<T>(ResourceInformer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        await Eventually.WithinAsync(informer.WaitForSyncAsync(CancellationToken.None), "the informer's first list");

    protected Task<V1Alpha1ComputeJob> CreateJobAsync(string name, string ns = Ns, Dictionary<string, string>? labels = null, IKubernetes? client = null) =>
        (client ?? Client).CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
            new V1Alpha1ComputeJob { Metadata = new V1ObjectMeta { Name = name, Labels = labels } },
            ComputeJobResource.Group, ComputeJobResource.Version, ns, ComputeJobResource.Plural);

    protected Task<V1Alpha1ComputeJob> PatchJobAsync(string name, object patch, string ns = Ns, IKubernetes? client = null) =>
        (client ?? Client).CustomObjects.PatchNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), ComputeJobResource.Group, ComputeJobResource.Version, ns, ComputeJobResource.Plural, name);

    protected Task DeleteJobAsync(string name, string ns = Ns, IKubernetes? client = null) =>
        (client ?? Client).CustomObjects.DeleteNamespacedCustomObjectAsync<JsonElement>(
            ComputeJobResource.Group, ComputeJobResource.Version, ns, ComputeJobResource.Plural, name);

    /// <summary>The server's ComputeJobs as "ns/name@resourceVersion", sorted (<paramref name="ns"/> null: all namespaces).</summary>
    protected async Task<List<string>> ServerJobsAsync(string? ns = Ns)
    {
        var list = ns is null
            ? await Client.CustomObjects.ListClusterCustomObjectAsync<V1Alpha1ComputeJobList>(ComputeJobResource.Group, ComputeJobResource.Version, ComputeJobResource.Plural)
            : await Client.CustomObjects.ListNamespacedCustomObjectAsync<V1Alpha1ComputeJobList>(ComputeJobResource.Group, ComputeJobResource.Version, ns, ComputeJobResource.Plural);
        return Describe(list.Items);
    }

    protected static List<string> CacheOf<T>(ResourceInformer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta> => Describe(informer.List());

    /// <summary>The informer's watches (or, with <paramref name="watch"/> false, its lists) of a resource. The client's own
    /// list calls send <c>watch=false</c>; the informer's lists send no <c>watch</c> at all, which tells them apart.</summary>
    protected List<RecordedRequest> Requests(string plural, bool watch) =>
        [.. Server.Requests.Where(r => r.Method == "GET" && r.Path.EndsWith("/" + plural, StringComparison.Ordinal)
            && (watch ? r.Query.Contains("watch=true", StringComparison.Ordinal) : !r.Query.Contains("watch=", StringComparison.Ordinal)))];

    private static List<string> Describe<T>(IEnumerable<T> items)
        where T : IKubernetesObject<V1ObjectMeta> =>
        [.. items.Select(o => $"{o.Metadata.NamespaceProperty}/{o.Metadata.Name}@{o.Metadata.ResourceVersion}").Order(StringComparer.Ordinal)];
}
