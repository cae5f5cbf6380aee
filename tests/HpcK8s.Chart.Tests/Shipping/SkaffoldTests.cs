using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>skaffold.yaml, held to the chart, the Dockerfiles and the quick start. (skaffold itself is not installed
/// here; ChartFixture.Modes renders the chart with the values it passes.)</summary>
[Collection(ChartTestGroup.Name)]
public sealed class SkaffoldTests(ChartFixture chart)
{
    private static readonly Dictionary<string, string> Components = new()
    {
        ["operator"] = "operators/HpcK8s.Operator/Dockerfile",
        ["worker"] = "src/HpcK8s.Worker/Dockerfile",
    };

    [Fact]
    public void Builds_TheChartsTwoImages_FromTheirDockerfiles_WithTheRepositoryAsContext()
    {
        var skaffold = ShippedValues.Skaffold;
        Assert.StartsWith("skaffold/v4beta", skaffold.ApiVersion, StringComparison.Ordinal);
        Assert.Equal("Config", skaffold.Kind);

        var artifacts = skaffold.Seq("build", "artifacts");
        Assert.Equal(Components.Count, artifacts.Count);
        foreach (var (component, dockerfile) in Components)
        {
            var repository = ChartFiles.Value($"{component}.image.repository");
            var artifact = Assert.Single(artifacts, a => Manifest.Scalar(a, "image") == repository);
            Assert.Equal(".", Manifest.Scalar(artifact, "context"));
            Assert.Equal(dockerfile, Manifest.Scalar(artifact, "docker", "dockerfile"));
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, dockerfile)), $"skaffold.yaml builds {repository} from {dockerfile}, which does not exist.");
        }
    }

    [Fact]
    public void HelmRelease_InstallsTheChart_WithEachBuiltImageInItsComponentsValues()
    {
        var release = ShippedValues.SkaffoldRelease;
        Assert.Equal("charts/hpck8s", Manifest.Scalar(release, "chartPath"));
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "charts", "hpck8s")));
        Assert.Equal(ShippedValues.QuickstartInstall.Release, Manifest.Scalar(release, "name"));
        Assert.Equal(ShippedValues.QuickstartInstall.Namespace, Manifest.Scalar(release, "namespace"));

        var templates = ((YamlMappingNode)Manifest.Node(release, "setValueTemplates")!).Children
            .ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
        Assert.All(templates.Keys, key => Assert.True(ChartFiles.SchemaDeclares(key), $"skaffold.yaml sets {key}, which values.schema.json does not declare."));
        foreach (var component in Components.Keys)
        {
            var name = ShippedValues.SkaffoldName(ChartFiles.Value($"{component}.image.repository"));
            Assert.Equal($"{{{{.IMAGE_REPO_{name}}}}}", templates[$"{component}.image.repository"]);
            Assert.Equal($"{{{{.IMAGE_TAG_{name}}}}}@{{{{.IMAGE_DIGEST_{name}}}}}", templates[$"{component}.image.tag"]);
        }
    }

    [Fact]
    public void SetValues_AreTheQuickstartsStateStore_AndEveryKeyIsDeclared()
    {
        var values = ((YamlMappingNode)Manifest.Node(ShippedValues.SkaffoldRelease, "setValues")!).Children
            .ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());

        Assert.All(values.Keys, key => Assert.True(ChartFiles.SchemaDeclares(key), $"skaffold.yaml sets {key}, which values.schema.json does not declare."));
        var quickstart = ShippedValues.QuickstartInstall.Sets.Select(s => s.Split('=', 2)).Where(p => p[0].StartsWith("stateStore.", StringComparison.Ordinal))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(quickstart.OrderBy(p => p.Key), values.Where(p => p.Key.StartsWith("stateStore.", StringComparison.Ordinal)).OrderBy(p => p.Key));
    }

    [Fact]
    public void RawManifests_AreTheQuickstartsRedis_InTheReleaseNamespace()
    {
        var skaffold = ShippedValues.Skaffold;
        var raw = Manifest.Strings(skaffold.Root, "manifests", "rawYaml");

        Assert.Equal(["deploy/redis.yaml"], raw);
        Assert.All(raw, f => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, f)), $"skaffold.yaml applies {f}, which does not exist."));
        Assert.Equal(ShippedValues.QuickstartInstall.Namespace, skaffold.Scalar("deploy", "kubectl", "defaultNamespace"));
        var hook = Manifest.Strings(skaffold.Seq("deploy", "kubectl", "hooks", "before").Single(), "host", "command");
        Assert.Contains($"kubectl create namespace {ShippedValues.QuickstartInstall.Namespace} ", hook[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind", "kind-.*")]
    [InlineData("minikube", "minikube")]
    public void LocalClusterProfiles_NeverPush(string profile, string kubeContext)
    {
        var found = Assert.Single(ShippedValues.Skaffold.Seq("profiles"), p => Manifest.Scalar(p, "name") == profile);

        Assert.Contains(Manifest.Seq(found, "activation"), a => Manifest.Scalar(a, "kubeContext") == kubeContext);
        var patch = Assert.Single(Manifest.Seq(found, "patches"));
        Assert.Equal("add", Manifest.Scalar(patch, "op"));
        Assert.Equal("/build/local/push", Manifest.Scalar(patch, "path"));
        Assert.Equal("false", Manifest.Scalar(patch, "value"));
        Assert.NotNull(ShippedValues.Skaffold.Node("build", "local")); // the patch adds to an existing object
    }

    [HelmTheory]
    [InlineData(null)]
    [InlineData(ShippedValues.SkaffoldDigest)]
    public async Task Render_UsesTheBuiltImages_WithAndWithoutARegistryDigest(string? digest)
    {
        var manifests = await chart.RenderAsync(ShippedValues.SkaffoldSets(digest));

        foreach (var component in Components.Keys)
        {
            var image = manifests.Single(m => m.Kind == "Deployment" && m.Name == $"hpc-hpck8s-{component}")
                .Seq("spec", "template", "spec", "containers").Select(c => Manifest.Scalar(c, "image")).Single();
            var expected = $"{ChartFiles.Value($"{component}.image.repository")}:{ShippedValues.SkaffoldTag}" + (digest is null ? string.Empty : "@" + digest);
            Assert.Equal(expected, image);
        }
    }

    [HelmFact]
    public async Task PortForward_TargetsTheReleasesWorkers()
    {
        var install = ShippedValues.QuickstartInstall;
        var result = await chart.HelmAsync(install.TemplateArguments());
        Assert.True(result.ExitCode == 0, result.Stderr);
        var manifests = Manifest.ParseAll(result.Stdout);

        var forward = Assert.Single(ShippedValues.Skaffold.Seq("portForward"));
        Assert.Equal("deployment", Manifest.Scalar(forward, "resourceType"));
        Assert.Equal(install.Namespace, Manifest.Scalar(forward, "namespace"));
        var worker = Assert.Single(manifests, m => m.Kind == "Deployment" && m.Name == Manifest.Scalar(forward, "resourceName"));
        Assert.Equal("worker", worker.Scalar("metadata", "labels", "app.kubernetes.io/component"));
        Assert.Equal("3500", Manifest.Scalar(forward, "port")); // daprd's HTTP port
    }
}
