using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests;

/// <summary>components/: the Dapr files for dapr run and kind/minikube.</summary>
public sealed class ComponentsTests
{
    public static TheoryData<string> Files => new(
        Directory.EnumerateFiles(RepoPaths.Components, "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(RepoPaths.Components, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    public static TheoryData<string> StoreFolders => new("self-hosted/redis", "self-hosted/postgresql", "kind/redis", "kind/postgresql");

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryFile_SaysWhatItIsForAndIsADaprResource(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Components, file));

        Assert.StartsWith("# ", text, StringComparison.Ordinal);
        var manifest = Assert.Single(Manifest.ParseAll(text));
        Assert.Equal("dapr.io/v1alpha1", manifest.ApiVersion);
        Assert.Contains(manifest.Kind, new[] { "Component", "Configuration", "Resiliency" });
        Assert.False(string.IsNullOrEmpty(manifest.Name));
    }

    [Theory]
    [MemberData(nameof(StoreFolders))]
    public void StoreFolder_HoldsOneActorStateStoreThatTheResiliencyTargets(string folder)
    {
        var stores = Directory.GetFiles(Path.Combine(RepoPaths.Components, folder), "*.yaml")
            .SelectMany(f => Manifest.ParseAll(File.ReadAllText(f)))
            .Where(m => m.Kind == "Component")
            .ToList();

        var store = Assert.Single(stores);
        Assert.StartsWith("state.", store.Scalar("spec", "type"), StringComparison.Ordinal);
        Assert.Contains(store.Seq("spec", "metadata"), m => Manifest.Scalar(m, "name") == "actorStateStore" && Manifest.Scalar(m, "value") == "true");
        Assert.Equal([HpcK8s.Dapr.DaprProject.DefaultAppId], Manifest.Strings(store.Root, "scopes"));

        var resiliency = Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Components, "shared", "resiliency.yaml"))).Single();
        Assert.Equal([store.Name], resiliency.Map("spec", "targets", "components").Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.NotNull(resiliency.Node("spec", "targets", "actors", HpcK8s.Dapr.Ledger.LedgerActorIds.ActorType));
    }

    [Fact]
    public void KindStores_TakeSecretsFromKubernetesSecrets()
    {
        foreach (var folder in new[] { "kind/redis", "kind/postgresql" })
        {
            var store = Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Components, folder, "statestore.yaml"))).Single();

            Assert.Equal("kubernetes", store.Scalar("auth", "secretStore"));
            Assert.Contains(store.Seq("spec", "metadata"), m => Manifest.Scalar(m, "secretKeyRef", "name") is { Length: > 0 });
        }
    }
}
