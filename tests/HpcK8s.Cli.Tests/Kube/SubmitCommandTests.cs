using System.Text.Json;
using System.Text.Json.Nodes;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Cli.Tests.Kube;

public sealed class SubmitCommandTests : IAsyncLifetime
{
    private KubeTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubeTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("pi-montecarlo.yaml")]
    [InlineData("pi-digits.yaml")]
    [InlineData("pi-bbp.yaml")]
    [InlineData("primes-external.yaml")]
    public async Task Submit_Example_CreatesTheJobWithTheManifestsSpec(string example)
    {
        var path = KubeTestBed.Example(example);
        var manifest = ManifestParser.Parse(await File.ReadAllTextAsync(path), path, KernelRegistry.BuiltIn).Jobs.Single();

        var (exit, stdout, stderr) = await _bed.RunAsync("submit", path);

        Assert.True(exit == 0, stderr);
        Assert.Equal($"computejob.hpck8s.io/{manifest.Metadata.Name} created", stdout.Trim());
        var stored = _bed.Stored(manifest.Metadata.Name) ?? throw new Xunit.Sdk.XunitException("not created in namespace jobs");
        var expected = JsonNode.Parse(k8s.KubernetesJson.Serialize(manifest.Spec))!;
        Assert.True(JsonNode.DeepEquals(expected, stored["spec"]), $"stored spec {stored["spec"]} differs from the manifest's {expected}");
        Assert.Null(stored["status"]);
    }

    [Fact]
    public async Task Submit_PiMonteCarlo_StoresItsParametersAsStrings()
    {
        await _bed.RunAsync("submit", KubeTestBed.Example("pi-montecarlo.yaml"));

        var spec = _bed.Stored("pi-montecarlo")!["spec"]!;
        Assert.Equal("pi-montecarlo", (string?)spec["kernel"]!["name"]);
        Assert.Equal("2000000000", (string?)spec["parameters"]!["samples"]);
        Assert.Equal(100, (int?)spec["shards"]);
        Assert.Equal(32, (int?)spec["parallelism"]);
        Assert.Equal("1s", (string?)spec["retry"]!["backoff"]);
        Assert.Equal(1800, (long?)spec["activeDeadlineSeconds"]);
    }

    [Fact]
    public async Task Submit_InvalidManifest_NamesFieldAndFileLineColumn_AndSendsNothing()
    {
        var file = _bed.Write("bad.yaml", """
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: bad }
            spec:
              kernel: { name: pi-montecarlo }
              parameters: { samples: "1000", seed: "1" }
              shards: 0
            """);

        var (exit, stdout, stderr) = await _bed.RunAsync("submit", file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"{file}:7:11: spec.shards: must be between 1 and 1000000, got 0", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing submitted", stderr, StringComparison.Ordinal);
        Assert.Empty(_bed.Server.Requests);
    }

    [Fact]
    public async Task Submit_OneBadDocumentOfTwo_CreatesNeither()
    {
        var file = _bed.Write("two.yaml", """
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: good }
            spec: { kernel: { name: pi-bbp }, parameters: { position: "1", count: "8" } }
            ---
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: bad }
            spec: { kernel: { name: no-such-kernel } }
            """);

        var (exit, _, stderr) = await _bed.RunAsync("submit", file);

        Assert.Equal(2, exit);
        Assert.Contains("spec.kernel.name: unknown kernel 'no-such-kernel'", stderr, StringComparison.Ordinal);
        Assert.Null(_bed.Stored("good"));
    }

    [Fact]
    public async Task Submit_TwoDocuments_CreatesBothInOrder()
    {
        var file = _bed.Write("two.yaml", """
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: first }
            spec: { kernel: { name: pi-bbp }, parameters: { position: "1", count: "8" } }
            ---
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: second, labels: { team: pi } }
            spec: { kernel: { name: pi-bbp }, parameters: { position: "9", count: "8" } }
            """);

        var (exit, stdout, _) = await _bed.RunAsync("submit", file);

        Assert.Equal(0, exit);
        Assert.Equal(["computejob.hpck8s.io/first created", "computejob.hpck8s.io/second created"], stdout.Trim().Split('\n'));
        Assert.Equal("pi", (string?)_bed.Stored("second")!["metadata"]!["labels"]!["team"]);
    }

    [Fact]
    public async Task Submit_FromStandardInput()
    {
        var yaml = await File.ReadAllTextAsync(KubeTestBed.Example("pi-bbp.yaml"));

        var (exit, stdout, stderr) = await _bed.RunWithInputAsync(yaml, "submit", "-");

        Assert.True(exit == 0, stderr);
        Assert.Contains("created", stdout, StringComparison.Ordinal);
        Assert.NotNull(_bed.Stored("pi-bbp"));
    }

    [Fact]
    public async Task Submit_FromStandardInput_ErrorsNameStdin()
    {
        var (exit, _, stderr) = await _bed.RunWithInputAsync("apiVersion: hpck8s.io/v1alpha1\nkind: ComputeJob\nmetadata: { name: x }\nspec: { kernel: { name: pi-bbp }, shards: -1 }\n", "submit", "-");

        Assert.Equal(2, exit);
        Assert.Contains("<stdin>:4:", stderr, StringComparison.Ordinal);
        Assert.Contains("spec.shards", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SameJobTwice_SaysItExistsAndHowToGoOn()
    {
        var path = KubeTestBed.Example("pi-bbp.yaml");
        await _bed.RunAsync("submit", path);

        var (exit, stdout, stderr) = await _bed.RunAsync("submit", path);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("computejob.hpck8s.io/pi-bbp already exists in namespace \"jobs\"", stderr, StringComparison.Ordinal);
        Assert.Contains("hpck8s get pi-bbp -n jobs", stderr, StringComparison.Ordinal);
        Assert.Contains("kubectl delete computejob pi-bbp -n jobs", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_DryRun_StoresNothing()
    {
        var (exit, stdout, _) = await _bed.RunAsync("submit", KubeTestBed.Example("pi-bbp.yaml"), "--dry-run");

        Assert.Equal(0, exit);
        Assert.Contains("created (server dry run)", stdout, StringComparison.Ordinal);
        Assert.Null(_bed.Stored("pi-bbp"));
        Assert.Contains(_bed.Server.Requests, r => r.Method == "POST" && r.Query.Contains("dryRun=All", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_Namespace_FromTheContextByDefault_DefaultWithoutOne_AndFlagWins()
    {
        var path = KubeTestBed.Example("pi-bbp.yaml");

        Assert.Equal(0, (await _bed.RunAsync("submit", path)).Exit);
        Assert.Equal(0, (await _bed.RunAsync("submit", path, "--context", "bare")).Exit);
        Assert.Equal(0, (await _bed.RunAsync("submit", path, "-n", "team-a")).Exit);

        Assert.NotNull(_bed.Stored("pi-bbp", "jobs"));
        Assert.NotNull(_bed.Stored("pi-bbp", "default"));
        Assert.NotNull(_bed.Stored("pi-bbp", "team-a"));
    }

    [Fact]
    public async Task Submit_ManifestNamespace_IsUsed_AndMustAgreeWithTheFlag()
    {
        var file = _bed.Write("ns.yaml", """
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: placed, namespace: science }
            spec: { kernel: { name: pi-bbp }, parameters: { position: "1", count: "8" } }
            """);

        var conflict = await _bed.RunAsync("submit", file, "-n", "other");
        var placed = await _bed.RunAsync("submit", file);

        Assert.Equal(2, conflict.Exit);
        Assert.Contains("says namespace \"science\" but -n says \"other\"", conflict.Err, StringComparison.Ordinal);
        Assert.Equal(0, placed.Exit);
        Assert.NotNull(_bed.Stored("placed", "science"));
    }

    [Fact]
    public async Task Submit_ServerRejects422_PrintsEveryCauseWithItsField()
    {
        // The fake API server has no CEL; a stub answers as the real one does for the CRD's x-kubernetes-validations.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.StatusCode = 422;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
                 "message":"ComputeJob.hpck8s.io \"pi-bbp\" is invalid: [spec.parallelism: Invalid value: \"object\": spec.parallelism must be at most spec.shards, spec.kernel.name: Unsupported value: \"x\"]",
                 "reason":"Invalid","details":{"name":"pi-bbp","group":"hpck8s.io","kind":"ComputeJob","causes":[
                   {"reason":"FieldValueInvalid","message":"Invalid value: \"object\": spec.parallelism must be at most spec.shards","field":"spec.parallelism"},
                   {"reason":"FieldValueNotSupported","message":"Unsupported value: \"x\"","field":"spec.kernel.name"}]},"code":422}
                """);
        });
        await app.StartAsync();
        var kubeconfig = _bed.WriteKubeconfig("stub-kubeconfig", app.Urls.Single());
        var path = KubeTestBed.Example("pi-bbp.yaml");

        var (exit, _, stderr) = await _bed.RunAsync("submit", path, "--kubeconfig", kubeconfig);

        Assert.Equal(2, exit);
        Assert.Contains($"{path}: the API server rejected computejob.hpck8s.io/pi-bbp (422 Invalid)", stderr, StringComparison.Ordinal);
        Assert.Contains("  spec.parallelism: Invalid value: \"object\": spec.parallelism must be at most spec.shards", stderr, StringComparison.Ordinal);
        Assert.Contains("  spec.kernel.name: Unsupported value: \"x\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Watch_FollowsTheJobToItsResult()
    {
        var running = _bed.Start("submit", KubeTestBed.Example("pi-bbp.yaml"), "--watch");
        await running.WaitForOutputAsync("created");
        await _bed.WatchingAsync();

        await _bed.SetStatusAsync("pi-bbp", Status.Succeeded(1, "243f6a88"));

        Assert.Equal(0, await running.ExitCodeAsync());
        Assert.Contains("computejob.hpck8s.io/pi-bbp created", running.Out.Text, StringComparison.Ordinal);
        Assert.Contains("  result  243f6a88", running.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NoKubeconfig_ValidManifest_SaysWhereItLooked()
    {
        var missing = Path.Combine(_bed.Directory, "nope", "config");

        var (exit, _, stderr) = await _bed.RunAsync("submit", KubeTestBed.Example("pi-bbp.yaml"), "--kubeconfig", missing);

        Assert.Equal(2, exit);
        Assert.Contains($"no kubeconfig at {missing} (from --kubeconfig)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_JsonRoundTrip_HasNoStatusAndTheCliFieldManager()
    {
        await _bed.RunAsync("submit", KubeTestBed.Example("pi-bbp.yaml"));

        var post = Assert.Single(_bed.Server.Requests, r => r.Method == "POST");
        Assert.Contains("fieldManager=hpck8s", post.Query, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(_bed.Stored("pi-bbp")!.ToJsonString()).RootElement.GetProperty("metadata").ValueKind);
    }
}
