using System.Text.RegularExpressions;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Tests.Crd;
using HpcK8s.Testing.Docs;
using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests.Shipping;

/// <summary>
/// docs/quickstart-kind.md, checked where no cluster is at hand: every code block is a step that some test exercises,
/// every path it names exists, the chart install it documents renders (and passes every rendered-manifest check, as
/// ChartFixture.Modes' "quickstart"), what it applies validates, and the names it uses are the ones its files create.
/// The end-to-end suite runs the steps themselves.
/// </summary>
[Collection(ChartTestGroup.Name)]
public sealed partial class QuickstartTests(ChartFixture chart)
{
    private static readonly QuickstartDocument Page = QuickstartDocument.Load();

    public static TheoryData<int, string> ChartInstalls => Data(
        Page.Commands.Where(HelmInstallCommand.Is).Where(c => HelmInstallCommand.Parse(c).Chart == "charts/hpck8s").Select(c => (c.Line, c.Text)));

    public static TheoryData<int, string> AppliedFiles => Data(
        Page.Commands.Where(c => c.StartsWith("kubectl") && (c.Words.Contains("apply") || c.Words.Contains("delete")) && c.Words.Contains("-f"))
            .Select(c => (c.Line, c.Words[c.Words.ToList().IndexOf("-f") + 1])));

    [Fact]
    public void EveryCodeBlock_IsAMarkedStep_AndEveryStepIsExercisedSomewhere()
    {
        var unmarked = Page.Blocks.Where(b => b.Step is null).Select(b => $"{QuickstartSteps.RelativePath}:{b.Line}").ToList();
        Assert.True(unmarked.Count == 0, $"code blocks without a <!-- step: ID --> marker (add one, and list the step in QuickstartSteps): {string.Join(", ", unmarked)}");
        Assert.All(Page.Blocks, b => Assert.True(b.IsShell, $"{QuickstartSteps.RelativePath}:{b.Line}: step {b.Step} is a '{b.Language}' block; steps are sh blocks."));

        Assert.Equal(QuickstartSteps.All.Select(s => s.Id), Page.Blocks.Select(b => b.Step!));
        Assert.All(Page.Blocks, b => Assert.NotEmpty(b.Commands));

        // Only steps no test runs may touch kind, minikube or skaffold themselves.
        foreach (var step in QuickstartSteps.All.Where(s => s.Coverage != StepCoverage.NotRun))
        {
            var tools = Page.Step(step.Id).Commands.Select(c => c.Words[0]).ToHashSet(StringComparer.Ordinal);
            var allowed = step.Coverage == StepCoverage.EndToEnd
                ? new HashSet<string>(["dotnet", "export", "helm", "kubectl", "hpck8s"], StringComparer.Ordinal)
                : new HashSet<string>(["docker", "kind"], StringComparer.Ordinal);
            Assert.True(tools.IsSubsetOf(allowed), $"step {step.Id} ({step.Coverage}) runs {string.Join(", ", tools.Except(allowed))}: the end-to-end suite cannot run that as written.");
        }
    }

    [Fact]
    public void EveryRepositoryPathItNames_Exists()
    {
        var missing = new List<string>();
        foreach (Match match in RepositoryPath().Matches(Page.Text))
        {
            var path = match.Groups[1].Value.TrimEnd('.', ',', ')');
            if (!File.Exists(Path.Combine(RepoPaths.Root, path)) && !Directory.Exists(Path.Combine(RepoPaths.Root, path)))
            {
                missing.Add(path);
            }
        }

        foreach (Match link in RelativeLink().Matches(Page.Text))
        {
            var target = Path.GetFullPath(Path.Combine(RepoPaths.Root, "docs", link.Groups[1].Value.Split('#')[0]));
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                missing.Add(link.Groups[1].Value);
            }
        }

        Assert.True(missing.Count == 0, $"{QuickstartSteps.RelativePath} names paths that do not exist: {string.Join(", ", missing.Distinct())}");
        Assert.NotEmpty(RepositoryPath().Matches(Page.Text));
    }

    [HelmTheory]
    [MemberData(nameof(ChartInstalls))]
    public async Task ChartInstall_RendersWithTheSameFlags_AndCreatesWhatTheOtherStepsUse(int line, string command)
    {
        var install = HelmInstallCommand.Parse(new DocCommand(line, command));
        Assert.All(install.Sets.Select(s => s.Split('=', 2)[0]), key => Assert.True(ChartFiles.SchemaDeclares(key), $"line {line}: --set {key} is not declared in values.schema.json"));

        var result = await chart.HelmAsync(install.TemplateArguments());
        Assert.True(result.ExitCode == 0, $"line {line}: helm {string.Join(' ', install.TemplateArguments())} failed: {result.Stderr}");
        var manifests = Manifest.ParseAll(result.Stdout);

        // Every deployment, secret and config the other steps name with -n <namespace> is created by this install or by
        // a file the page applies there.
        var applied = Page.Commands.Where(c => c.StartsWith("kubectl", "apply", "-n", install.Namespace!))
            .SelectMany(c => Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, c.Words[^1])))).ToList();
        var available = manifests.Concat(applied).Select(m => $"{m.Kind.ToLowerInvariant()}/{m.Name}").ToHashSet(StringComparer.Ordinal);
        foreach (var other in Page.Commands.Where(c => c.StartsWith("kubectl", "-n", install.Namespace!)))
        {
            var words = other.Words;
            var named = words.Where(w => w.StartsWith("deployment/", StringComparison.Ordinal)).ToList();
            if (words[3] == "get" && words[4] is "secret" or "deployment")
            {
                named.Add($"{words[4]}/{words[5]}");
            }

            Assert.All(named, n => Assert.True(available.Contains(n), $"{other} uses {n}, which neither this install nor the applied files create (have: {string.Join(", ", available.Order())})."));

            // kubectl logs -c: a container of that Deployment, or the sidecar Dapr injects.
            if (words[3] == "logs" && words.ToList().IndexOf("-c") is var c and > 0)
            {
                var deployment = manifests.Single(m => m.Kind == "Deployment" && $"deployment/{m.Name}" == words[4]);
                var containers = deployment.Seq("spec", "template", "spec", "containers").Select(x => Manifest.Scalar(x, "name")).Append("daprd");
                Assert.Contains(words[c + 1], containers);
            }
        }

        // The images the page builds are the ones the release runs.
        var built = Page.Step(QuickstartSteps.Images).Commands.Select(c => c.Words[c.Words.ToList().IndexOf("-t") + 1]).ToList();
        var running = manifests.Where(m => m.Kind == "Deployment").SelectMany(m => m.Seq("spec", "template", "spec", "containers")).Select(c => Manifest.Scalar(c, "image")!);
        Assert.Equal(built.Order(), running.Order());
    }

    [Theory]
    [MemberData(nameof(AppliedFiles))]
    public void AppliedFile_Exists_AndValidates(int line, string file)
    {
        var path = Path.Combine(RepoPaths.Root, file);
        Assert.True(File.Exists(path), $"line {line} applies {file}, which does not exist.");
        var yaml = File.ReadAllText(path);
        var documents = new YamlStream();
        documents.Load(new StringReader(yaml));

        foreach (var document in documents.Documents.Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 }))
        {
            var manifest = new Manifest((YamlMappingNode)document.RootNode);
            if (manifest.Kind == "ComputeJob")
            {
                Assert.Equal("hpck8s.io/v1alpha1", manifest.ApiVersion);
                Assert.Empty(StructuralSchema.Validate(CrdSchema(), document.RootNode));
                Assert.Empty(ManifestParser.Parse(yaml, file, KernelRegistry.BuiltIn).Errors);
            }
            else
            {
                Assert.True(manifest.Kind is "Secret" or "Service" or "Deployment", $"{file}: {manifest} is of a kind the quick start does not expect.");
                Assert.Null(manifest.Scalar("metadata", "namespace")); // the command's -n decides
            }
        }
    }

    [Fact]
    public void DevRedis_IsWhatTheInstallPointsTheStateStoreAt_AndIsHardened()
    {
        var install = ShippedValues.QuickstartInstall;
        var redis = Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "redis.yaml")));
        var service = Assert.Single(redis, m => m.Kind == "Service");
        var secret = Assert.Single(redis, m => m.Kind == "Secret");
        var deployment = Assert.Single(redis, m => m.Kind == "Deployment");

        var host = install.Set("stateStore.redis.host")!.Split(':');
        Assert.Equal(service.Name, host[0]);
        Assert.Equal(host[1], Manifest.Scalar(service.Seq("spec", "ports").Single(), "port"));
        Assert.Equal(secret.Name, install.Set("stateStore.redis.passwordSecret.name"));
        var key = install.Set("stateStore.redis.passwordSecret.key") ?? ChartFiles.Value("stateStore.redis.passwordSecret.key");
        Assert.NotNull(secret.Scalar("stringData", key));

        var pod = deployment.Map("spec", "template", "spec");
        Assert.Equal("true", Manifest.Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("false", Manifest.Scalar(pod, "automountServiceAccountToken"));
        var container = Manifest.Seq(pod, "containers").Single();
        Assert.Equal("true", Manifest.Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Manifest.Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Manifest.Strings(container, "securityContext", "capabilities", "drop"));
        Assert.NotNull(Manifest.Scalar(container, "resources", "limits", "memory"));
        Assert.Contains("$(REDIS_PASSWORD)", Manifest.Strings(container, "args"));
        Assert.Equal(secret.Name, Manifest.Scalar(Manifest.Seq(container, "env").Single(), "valueFrom", "secretKeyRef", "name"));
        var labels = deployment.Map("spec", "template", "metadata", "labels");
        Assert.All(service.Map("spec", "selector").Children, l => Assert.Equal(l.Value.ToString(), labels.Children[l.Key].ToString()));
    }

    [Fact]
    public void ImageSteps_BuildTheChartsImages_TaggedAsTheInstallSetsThem_AndLoadExactlyThose()
    {
        var install = ShippedValues.QuickstartInstall;
        foreach (var step in new[] { QuickstartSteps.Images, QuickstartSteps.MinikubeImages })
        {
            var builds = Page.Step(step).Commands.Where(c => c.StartsWith("docker", "build")).ToList();
            Assert.Equal(2, builds.Count);
            foreach (var build in builds)
            {
                var words = build.Words.ToList();
                var tag = words[words.IndexOf("-t") + 1].Split(':');
                var component = Assert.Single(new[] { "operator", "worker" }, c => ChartFiles.Value($"{c}.image.repository") == tag[0]);
                Assert.Equal(install.Set($"{component}.image.tag"), tag[1]);
                Assert.Equal(Manifest.Scalar(ShippedValues.Skaffold.Seq("build", "artifacts").Single(a => Manifest.Scalar(a, "image") == tag[0]), "docker", "dockerfile"), words[words.IndexOf("-f") + 1]);
                Assert.Equal(".", words[^1]);
            }
        }

        var built = Page.Step(QuickstartSteps.Images).Commands.Select(c => c.Words[c.Words.ToList().IndexOf("-t") + 1]);
        var load = Page.Step(QuickstartSteps.Load).Commands.Single();
        Assert.True(load.StartsWith("kind", "load", "docker-image"));
        var cluster = Page.Step(QuickstartSteps.Cluster).Commands.Single().Words;
        Assert.Equal(cluster[cluster.ToList().IndexOf("--name") + 1], load.Words[load.Words.ToList().IndexOf("--name") + 1]);
        Assert.Equal(built.Order(), load.Words.Skip(3).TakeWhile(w => !w.StartsWith('-')).Order());
    }

    [Fact]
    public void JobCommands_NameTheJobTheSubmittedManifestCreates()
    {
        var submitted = Page.Step(QuickstartSteps.Submit).Commands.Single().Words[^1];
        var name = Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Root, submitted))).Single().Name;

        var uses = Page.Commands.SelectMany(c => JobReference().Matches(c.Text).Select(m => (c, m.Groups[1].Value))).ToList();
        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.True(u.Item2 == name, $"{u.c} refers to ComputeJob {u.Item2}, but {submitted} creates {name}."));
    }

    [Fact]
    public void DaprStep_InstallsAVersionTheChartAccepts()
    {
        var command = Page.Step(QuickstartSteps.Dapr).Commands.Single(HelmInstallCommand.Is);
        var install = HelmInstallCommand.Parse(command);
        var version = Version.Parse(install.Version ?? throw new Xunit.Sdk.XunitException($"{command}: pin the Dapr chart with --version."));
        var requires = Manifest.ParseAll(File.ReadAllText(Path.Combine(RepoPaths.Chart, "Chart.yaml"))).Single().Scalar("annotations", "hpck8s.io/requires")!;

        Assert.Equal("dapr/dapr", install.Chart);
        Assert.Equal("dapr-system", install.Namespace);
        Assert.StartsWith("dapr>=", requires, StringComparison.Ordinal);
        Assert.True(version >= Version.Parse(requires["dapr>=".Length..]), $"the quick start installs Dapr {version}, but the chart requires {requires}.");
        Assert.True(version >= new Version(1, 16), $"the workers speak daprd's workflow protocol of 1.16 and later (docs: dapr-workflow-protocol); the quick start installs {version}.");
    }

    [Fact]
    public void EveryStepUsesTheInstallsNamespace()
    {
        var ns = ShippedValues.QuickstartInstall.Namespace!;
        var used = Page.Commands.Select(c => c.Words.ToList())
            .SelectMany(w => w.Select((word, i) => (word, i)).Where(p => p.word is "-n" or "--namespace" && p.i + 1 < w.Count).Select(p => w[p.i + 1]))
            .Where(n => n != "dapr-system")
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal([ns], used);
        Assert.Contains(Page.Commands, c => c.StartsWith("kubectl", "create", "namespace", ns));
    }

    private static TheoryData<int, string> Data(IEnumerable<(int, string)> rows)
    {
        var data = new TheoryData<int, string>();
        foreach (var (line, text) in rows)
        {
            data.Add(line, text);
        }

        return data;
    }

    private static YamlNode CrdSchema()
    {
        var crd = new YamlStream();
        crd.Load(new StringReader(File.ReadAllText(RepoPaths.Crd)));
        return crd.Documents[0].RootNode["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
    }

    [GeneratedRegex(@"(?<![\w/.-])((?:charts|components|deploy|docs|examples|operators|src|tests)/[\w./-]*[\w/])")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"\]\((?!https?:|#)([^)\s]+)\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex(@"\bcj[ /]([a-z0-9][-a-z0-9]*)")]
    private static partial Regex JobReference();
}
