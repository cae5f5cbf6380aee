using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class BuiltInResourceTests : IAsyncLifetime
{
    private const string Ns = "hpck8s-system";
    private FakeKubeApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static V1Deployment Workers(int? replicas = 2) => new()
    {
        Metadata = new V1ObjectMeta { Name = "workers" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "worker" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "worker" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Image = "hpck8s/worker" }] },
            },
        },
    };

    [Fact]
    public async Task ReadScale_Deployment_ReturnsAnAutoscalingV1Scale()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(), Ns);

        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("workers", Ns);

        Assert.Equal("Scale", scale.Kind);
        Assert.Equal("autoscaling/v1", scale.ApiVersion);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=worker", scale.Status.Selector);
        Assert.Equal(deployment.Metadata.ResourceVersion, scale.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task CreateDeployment_NoReplicas_DefaultsToOne()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(replicas: null), Ns);

        Assert.Equal(1, deployment.Spec.Replicas);
    }

    [Fact]
    public async Task ReplaceScale_NewReplicas_ChangesTheDeploymentSpecAndGeneration()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(), Ns);
        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("workers", Ns);
        scale.Spec.Replicas = 5;

        var updated = await _client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "workers", Ns);
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("workers", Ns);

        Assert.Equal(5, updated.Spec.Replicas);
        Assert.Equal(5, deployment.Spec.Replicas);
        Assert.Equal(2, deployment.Metadata.Generation);
        Assert.Equal(deployment.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceScale_StaleResourceVersion_Fails409Conflict()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(), Ns);
        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("workers", Ns);
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { metadata = new { labels = new { touched = "yes" } } }, V1Patch.PatchType.MergePatch), "workers", Ns);
        scale.Spec.Replicas = 5;

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "workers", Ns));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
    }

    [Fact]
    public async Task PatchScale_MergePatch_SetsReplicas()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(), Ns);

        var scale = await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch(new { spec = new { replicas = 0 } }, V1Patch.PatchType.MergePatch), "workers", Ns);

        Assert.Equal(0, scale.Spec.Replicas);
        Assert.Equal(0, (await _client.AppsV1.ReadNamespacedDeploymentAsync("workers", Ns)).Spec.Replicas);
    }

    [Fact]
    public async Task ReplaceDeploymentStatus_StatusSubresource_ShowsInTheScaleStatus()
    {
        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(Workers(), Ns);
        deployment.Status = new V1DeploymentStatus { Replicas = 2, ReadyReplicas = 1 };

        await _client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, "workers", Ns);

        Assert.Equal(2, (await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("workers", Ns)).Status.Replicas);
    }

    [Fact]
    public async Task ReplaceLease_StaleResourceVersion_Fails409Conflict()
    {
        var lease = await _client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "operator" }, Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 } }, Ns);
        var stale = await _client.CoordinationV1.ReadNamespacedLeaseAsync("operator", Ns);
        lease.Spec.HolderIdentity = "b";
        var renewed = await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "operator", Ns);

        stale.Spec.HolderIdentity = "c";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.ReplaceNamespacedLeaseAsync(stale, "operator", Ns));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal("b", renewed.Spec.HolderIdentity);
        Assert.Equal("b", (await _client.CoordinationV1.ReadNamespacedLeaseAsync("operator", Ns)).Spec.HolderIdentity);
    }

    [Fact]
    public async Task CreateLease_Twice_Fails409AlreadyExists()
    {
        var lease = new V1Lease { Metadata = new V1ObjectMeta { Name = "operator" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } };
        await _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, Ns);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, Ns));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
    }

    [Fact]
    public async Task LeaderElector_TwoCandidates_ExactlyOneLeadsAndTheOtherFollowsIt()
    {
        using var clientA = _server.CreateClient();
        using var clientB = _server.CreateClient();
        var leaders = new System.Collections.Concurrent.ConcurrentBag<string>();
        var observed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        LeaderElector Candidate(IKubernetes client, string identity)
        {
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, Ns, "hpck8s-operator", identity))
            {
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
            });
            elector.OnStartedLeading += () => leaders.Add(identity);
            elector.OnNewLeader += leader =>
            {
                if (leader != identity)
                {
                    observed.TrySetResult(leader);
                }
            };
            return elector;
        }

        using var a = Candidate(clientA, "a");
        using var b = Candidate(clientB, "b");
        var runA = a.RunUntilLeadershipLostAsync(cts.Token);
        var runB = b.RunUntilLeadershipLostAsync(cts.Token);
        var followed = await observed.Task.WaitAsync(cts.Token);
        await Task.Delay(500);

        var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync("hpck8s-operator", Ns);
        Assert.Equal([followed], leaders);
        Assert.Equal(followed, lease.Spec.HolderIdentity);
        await cts.CancelAsync();
        await Task.WhenAll(runA, runB).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task CreateEvent_CoreV1_IsListed()
    {
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "pi.1" },
            InvolvedObject = new V1ObjectReference { Kind = "ComputeJob", Name = "pi", NamespaceProperty = Ns, ApiVersion = "hpck8s.io/v1alpha1" },
            Reason = "Started",
            Message = "workflow started",
            Type = "Normal",
        };

        await _client.CoreV1.CreateNamespacedEventAsync(ev, Ns);
        var events = await _client.CoreV1.ListNamespacedEventAsync(Ns);

        var listed = Assert.Single(events.Items);
        Assert.Equal("Started", listed.Reason);
        Assert.Equal("pi", listed.InvolvedObject.Name);
    }

    [Fact]
    public async Task ListEventForAllNamespaces_EventsInTwoNamespaces_ListsBoth()
    {
        foreach (var ns in new[] { "a", "b" })
        {
            await _client.CoreV1.CreateNamespacedEventAsync(new Corev1Event { Metadata = new V1ObjectMeta { GenerateName = "pi." }, InvolvedObject = new V1ObjectReference { Name = "pi" } }, ns);
        }

        var events = await _client.CoreV1.ListEventForAllNamespacesAsync();

        Assert.Equal(["a", "b"], events.Items.Select(e => e.Metadata.NamespaceProperty));
        Assert.All(events.Items, e => Assert.StartsWith("pi.", e.Metadata.Name));
    }
}
