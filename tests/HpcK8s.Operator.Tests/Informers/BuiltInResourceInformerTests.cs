using HpcK8s.Operator.Informers;
using k8s;
using k8s.Models;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>The informer is generic over group/version/plural: the same code watches <c>apps/v1</c> and core <c>v1</c>.</summary>
public sealed class BuiltInResourceInformerTests : KubeTestBase
{
    [Fact]
    public async Task Deployments_AppsV1_AreListedAndWatched()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("workers"), Ns);
        var informer = new ResourceInformer<V1Deployment>(Client, Options("apps", "v1", "deployments"));
        var handler = new RecordingHandler<V1Deployment>();
        informer.AddHandler(handler);
        _ = RunUntilDisposed(informer.RunAsync);
        await SyncedAsync(informer);

        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch(new { spec = new { replicas = 3 } }, V1Patch.PatchType.MergePatch), "workers", Ns);
        await Client.AppsV1.DeleteNamespacedDeploymentAsync("workers", Ns);

        await Eventually.TrueAsync(() => handler.Changes.Count == 3, "add, scale and delete arrived");
        Assert.Equal(["add jobs/workers", "update jobs/workers", "delete jobs/workers"], handler.Changes.Select(n => $"{n.Kind} {n.Key}"));
        Assert.Empty(informer.List());
    }

    [Fact]
    public async Task CoreV1Events_TheCoreGroup_AreListedAndWatched()
    {
        await Client.CoreV1.CreateNamespacedEventAsync(Event("first"), Ns);
        var informer = new ResourceInformer<Corev1Event>(Client, Options("", "v1", "events"));
        var handler = new RecordingHandler<Corev1Event>();
        informer.AddHandler(handler);
        _ = RunUntilDisposed(informer.RunAsync);
        await SyncedAsync(informer);

        await Client.CoreV1.CreateNamespacedEventAsync(Event("second"), Ns);

        await Eventually.TrueAsync(() => handler.Changes.Count == 2, "both events arrived");
        Assert.Equal("second", informer.Get(new ObjectKey(Ns, "second"))!.Reason);
        Assert.All(Requests("events", watch: true), r => Assert.StartsWith("/api/v1/", r.Path, StringComparison.Ordinal));
    }

    private static InformerOptions Options(string group, string version, string plural) => new()
    {
        Group = group,
        Version = version,
        Plural = plural,
        Namespace = Ns,
        ResyncPeriod = TimeSpan.Zero,
        MinBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Image = "worker:test" }] },
            },
        },
    };

    private static Corev1Event Event(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Reason = name,
        InvolvedObject = new V1ObjectReference { Kind = "ComputeJob", Name = "pi", NamespaceProperty = Ns },
    };
}
