using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class CustomObjectTests : IAsyncLifetime
{
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

    [Fact]
    public async Task Create_NewObject_SetsUidResourceVersionGenerationAndCreationTimestamp()
    {
        var before = _server.ResourceVersion;

        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(before + 1, long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(Jobs.Namespace, created.Metadata.NamespaceProperty);
        Assert.Equal(4, created.Spec!.Shards);
    }

    [Fact]
    public async Task Create_StatusInBody_IsDroppedBecauseOfTheStatusSubresource()
    {
        var job = TestComputeJob.New("pi");
        job.Status = new TestStatus { Phase = "Succeeded" };

        var created = await Jobs.CreateAsync(_client, job);

        Assert.Null(created.Status);
    }

    [Fact]
    public async Task Create_ExistingName_Fails409AlreadyExists()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var code = await Jobs.FailsWithAsync(() => Jobs.CreateAsync(_client, TestComputeJob.New("pi")), "AlreadyExists");

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Create_InvalidName_Fails422Invalid()
    {
        var code = await Jobs.FailsWithAsync(() => Jobs.CreateAsync(_client, TestComputeJob.New("Not_A_Name")), "Invalid");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task Get_MissingObject_Fails404WithKubernetesStatusJson()
    {
        var code = await Jobs.FailsWithAsync(() => Jobs.GetAsync(_client, "nope"), "NotFound");
        Assert.Equal(HttpStatusCode.NotFound, code);

        using var http = new HttpClient();
        var raw = await http.GetAsync(_server.Url + "/apis/hpck8s.io/v1alpha1/namespaces/jobs/computejobs/nope");
        var status = JsonNode.Parse(await raw.Content.ReadAsStringAsync())!;
        Assert.Equal("application/json", raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal("computejobs.hpck8s.io \"nope\" not found", (string?)status["message"]);
        Assert.Equal("nope", (string?)status["details"]!["name"]);
        Assert.Equal("computejobs", (string?)status["details"]!["kind"]);
        Assert.Equal(404, (int?)status["code"]);
    }

    [Fact]
    public async Task Get_UnknownResource_Fails404()
    {
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            _client.CustomObjects.GetNamespacedCustomObjectAsync("hpck8s.io", "v1alpha1", Jobs.Namespace, "widgets", "w"));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Fact]
    public async Task List_SomeObjects_ReturnsThemSortedWithTheCurrentResourceVersion()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("b"));
        await Jobs.CreateAsync(_client, TestComputeJob.New("a"));
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(TestComputeJob.New("elsewhere", ns: "other"), Jobs.Group, Jobs.Version, "other", Jobs.Plural);

        var (items, resourceVersion, next) = await Jobs.ListAsync(_client);

        Assert.Equal(["a", "b"], items.Select(i => i.Metadata.Name));
        Assert.Equal(_server.ResourceVersion.ToString(), resourceVersion);
        Assert.Null(next);
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughAConsistentSnapshot()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Jobs.CreateAsync(_client, TestComputeJob.New(name));
        }

        var first = await Jobs.ListAsync(_client, limit: 2);
        await Jobs.CreateAsync(_client, TestComputeJob.New("d"));
        var second = await Jobs.ListAsync(_client, limit: 2, continueToken: first.Continue);

        Assert.Equal(["a", "b"], first.Items.Select(i => i.Metadata.Name));
        Assert.NotNull(first.Continue);
        Assert.Equal(["c"], second.Items.Select(i => i.Metadata.Name));
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        Assert.Null(second.Continue);
    }

    [Fact]
    public async Task List_LabelSelector_ReturnsOnlyMatchingObjects()
    {
        var a = TestComputeJob.New("a");
        a.Metadata.Labels = new Dictionary<string, string> { ["team"] = "x" };
        var b = TestComputeJob.New("b");
        b.Metadata.Labels = new Dictionary<string, string> { ["team"] = "y" };
        await Jobs.CreateAsync(_client, a);
        await Jobs.CreateAsync(_client, b);
        await Jobs.CreateAsync(_client, TestComputeJob.New("c"));

        Assert.Equal(["a"], (await Jobs.ListAsync(_client, labelSelector: "team=x")).Items.Select(i => i.Metadata.Name));
        Assert.Equal(["a", "b"], (await Jobs.ListAsync(_client, labelSelector: "team in (x,y)")).Items.Select(i => i.Metadata.Name));
        Assert.Equal(["c"], (await Jobs.ListAsync(_client, labelSelector: "!team")).Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Replace_StaleResourceVersion_Fails409Conflict()
    {
        var created = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var first = await Jobs.GetAsync(_client, "pi");
        var second = await Jobs.GetAsync(_client, "pi");
        first.Spec!.Parallelism = 2;
        await Jobs.ReplaceAsync(_client, first);

        second.Spec!.Parallelism = 3;
        var code = await Jobs.FailsWithAsync(() => Jobs.ReplaceAsync(_client, second), "Conflict");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal(2, (await Jobs.GetAsync(_client, "pi")).Spec!.Parallelism);
        Assert.NotEqual(created.Metadata.ResourceVersion, (await Jobs.GetAsync(_client, "pi")).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_WithoutResourceVersion_Fails422ForACustomResource()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        job.Metadata.ResourceVersion = null;

        var code = await Jobs.FailsWithAsync(() => Jobs.ReplaceAsync(_client, job), "Invalid");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task Replace_SpecChange_BumpsGenerationButALabelChangeDoesNot()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        job.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var relabelled = await Jobs.ReplaceAsync(_client, job);

        relabelled.Spec!.Parallelism = 2;
        var respecced = await Jobs.ReplaceAsync(_client, relabelled);

        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.Equal(2, respecced.Metadata.Generation);
        Assert.True(long.Parse(respecced.Metadata.ResourceVersion) > long.Parse(relabelled.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Replace_NothingChanged_KeepsTheResourceVersion()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var before = _server.ResourceVersion;

        var same = await Jobs.ReplaceAsync(_client, job);

        Assert.Equal(job.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(before, _server.ResourceVersion);
    }

    [Fact]
    public async Task Replace_StatusChangeThroughTheMainEndpoint_IsIgnored()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        job.Status = new TestStatus { Phase = "Running" };

        var replaced = await Jobs.ReplaceAsync(_client, job);

        Assert.Null(replaced.Status);
        Assert.Null((await Jobs.GetAsync(_client, "pi")).Status);
    }

    [Fact]
    public async Task ReplaceStatus_SpecAndStatusChanged_WritesOnlyTheStatus()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        job.Spec!.Parallelism = 9;
        job.Metadata.Labels = new Dictionary<string, string> { ["ignored"] = "yes" };
        job.Status = new TestStatus { Phase = "Running", ObservedGeneration = 1 };

        var updated = await Jobs.ReplaceStatusAsync(_client, job);

        Assert.Equal("Running", updated.Status!.Phase);
        Assert.Null(updated.Spec!.Parallelism);
        Assert.Null(updated.Metadata.Labels);
        Assert.Equal(1, updated.Metadata.Generation);
    }

    [Fact]
    public async Task ReplaceStatus_StaleResourceVersion_Fails409Conflict()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });
        job.Status = new TestStatus { Phase = "Running" };

        var code = await Jobs.FailsWithAsync(() => Jobs.ReplaceStatusAsync(_client, job), "Conflict");

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task PatchStatus_MergePatch_ChangesOnlyTheStatus()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var patched = await Jobs.PatchStatusAsync(_client, "pi", new { status = new { phase = "Succeeded" }, spec = new { shards = 99 } });

        Assert.Equal("Succeeded", patched.Status!.Phase);
        Assert.Equal(4, patched.Spec!.Shards);
    }

    [Fact]
    public async Task Patch_MergePatch_ChangesTheFieldsNamedAndBumpsGeneration()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var patched = await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 }, metadata = new { labels = new { a = "b" } } });

        Assert.Equal(2, patched.Spec!.Parallelism);
        Assert.Equal(4, patched.Spec.Shards);
        Assert.Equal("b", patched.Metadata.Labels["a"]);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Patch_MergePatchWithAStaleResourceVersion_Fails409Conflict()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });

        var code = await Jobs.FailsWithAsync(
            () => Jobs.PatchAsync(_client, "pi", new { metadata = new { resourceVersion = job.Metadata.ResourceVersion }, spec = new { parallelism = 3 } }),
            "Conflict");

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Patch_JsonPatch_AppliesTheOperationsInOrder()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var operations = new object[]
        {
            new { op = "test", path = "/spec/shards", value = 4 },
            new { op = "add", path = "/spec/parallelism", value = 2 },
            new { op = "add", path = "/metadata/finalizers", value = new[] { "hpck8s.io/cleanup" } },
        };

        var patched = await Jobs.PatchAsync(_client, "pi", operations, V1Patch.PatchType.JsonPatch);

        Assert.Equal(2, patched.Spec!.Parallelism);
        Assert.Equal(["hpck8s.io/cleanup"], patched.Metadata.Finalizers);
    }

    [Fact]
    public async Task Patch_FailingJsonPatchTest_Fails422AndChangesNothing()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var code = await Jobs.FailsWithAsync(
            () => Jobs.PatchAsync(_client, "pi", new object[] { new { op = "test", path = "/spec/shards", value = 5 } }, V1Patch.PatchType.JsonPatch),
            "Invalid");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal(job.Metadata.ResourceVersion, (await Jobs.GetAsync(_client, "pi")).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Patch_StrategicMergeOnACustomResource_Fails415()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var code = await Jobs.FailsWithAsync(
            () => Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } }, V1Patch.PatchType.StrategicMergePatch),
            "UnsupportedMediaType");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
    }

    [Fact]
    public async Task Delete_NoFinalizers_RemovesTheObject()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));

        var status = await Jobs.DeleteAsync(_client, "pi");

        Assert.Equal("Success", status.GetProperty("status").GetString());
        await Jobs.FailsWithAsync(() => Jobs.GetAsync(_client, "pi"), "NotFound");
    }

    [Fact]
    public async Task Delete_WithFinalizer_KeepsTheObjectUntilTheFinalizerIsRemoved()
    {
        var job = TestComputeJob.New("pi");
        job.Metadata.Finalizers = ["hpck8s.io/cleanup"];
        await Jobs.CreateAsync(_client, job);

        var deleting = Jobs.ToJob(await Jobs.DeleteAsync(_client, "pi"));
        var again = Jobs.ToJob(await Jobs.DeleteAsync(_client, "pi"));
        var stillThere = await Jobs.GetAsync(_client, "pi");

        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Equal(deleting.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(deleting.Metadata.DeletionTimestamp, stillThere.Metadata.DeletionTimestamp);

        stillThere.Metadata.Finalizers = [];
        await Jobs.ReplaceAsync(_client, stillThere);

        await Jobs.FailsWithAsync(() => Jobs.GetAsync(_client, "pi"), "NotFound");
    }

    [Fact]
    public async Task Replace_NewFinalizerWhileDeleting_Fails422()
    {
        var job = TestComputeJob.New("pi");
        job.Metadata.Finalizers = ["hpck8s.io/cleanup"];
        await Jobs.CreateAsync(_client, job);
        await Jobs.DeleteAsync(_client, "pi");
        var deleting = await Jobs.GetAsync(_client, "pi");
        deleting.Metadata.Finalizers = ["hpck8s.io/cleanup", "other/finalizer"];

        var code = await Jobs.FailsWithAsync(() => Jobs.ReplaceAsync(_client, deleting), "Invalid");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task FailNextWrite_OneInjectedFailure_FailsOneWriteAndChangesNothing()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        var before = _server.ResourceVersion;
        _server.FailNextWrite(503, "ServiceUnavailable", "etcd is unhappy");

        var code = await Jobs.FailsWithAsync(() => Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } }), "ServiceUnavailable");
        var patched = await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal((before + 1).ToString(), patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Requests_AfterCalls_RecordsMethodPathAndPatchContentType()
    {
        await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchStatusAsync(_client, "pi", new { status = new { phase = "Running" } });

        var patch = Assert.Single(_server.Requests, r => r.Method == "PATCH");

        Assert.Equal("/apis/hpck8s.io/v1alpha1/namespaces/jobs/computejobs/pi/status", patch.Path);
        Assert.StartsWith("application/merge-patch+json", patch.ContentType);
    }

    [Fact]
    public async Task Delete_StaleResourceVersionPrecondition_Fails409AndKeepsTheObject()
    {
        var job = await Jobs.CreateAsync(_client, TestComputeJob.New("pi"));
        await Jobs.PatchAsync(_client, "pi", new { spec = new { parallelism = 2 } });
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = job.Metadata.ResourceVersion } };

        var code = await Jobs.FailsWithAsync(
            () => _client.CustomObjects.DeleteNamespacedCustomObjectAsync(Jobs.Group, Jobs.Version, Jobs.Namespace, Jobs.Plural, "pi", options),
            "Conflict");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.NotNull(await Jobs.GetAsync(_client, "pi"));
    }
}
