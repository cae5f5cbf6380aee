using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HpcK8s.KubeApiServer.Tests;

/// <summary>The KubernetesClient's generic custom-object calls, bound to ComputeJobs in one namespace.</summary>
public static class Jobs
{
    public const string Group = "hpck8s.io";
    public const string Version = "v1alpha1";
    public const string Plural = "computejobs";
    public const string Namespace = "jobs";

    public static Task<TestComputeJob> CreateAsync(IKubernetes client, TestComputeJob job) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<TestComputeJob>(job, Group, Version, Namespace, Plural);

    public static Task<TestComputeJob> GetAsync(IKubernetes client, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<TestComputeJob>(Group, Version, Namespace, Plural, name);

    public static Task<TestComputeJob> ReplaceAsync(IKubernetes client, TestComputeJob job) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<TestComputeJob>(job, Group, Version, Namespace, Plural, job.Metadata.Name);

    public static Task<TestComputeJob> ReplaceStatusAsync(IKubernetes client, TestComputeJob job) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<TestComputeJob>(job, Group, Version, Namespace, Plural, job.Metadata.Name);

    public static Task<TestComputeJob> PatchAsync(IKubernetes client, string name, object patch, V1Patch.PatchType type = V1Patch.PatchType.MergePatch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<TestComputeJob>(new V1Patch(patch, type), Group, Version, Namespace, Plural, name);

    public static Task<TestComputeJob> PatchStatusAsync(IKubernetes client, string name, object patch) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<TestComputeJob>(new V1Patch(patch, V1Patch.PatchType.MergePatch), Group, Version, Namespace, Plural, name);

    public static Task<JsonElement> DeleteAsync(IKubernetes client, string name) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonElement>(Group, Version, Namespace, Plural, name);

    public static async Task<(List<TestComputeJob> Items, string ResourceVersion, string? Continue)> ListAsync(
        IKubernetes client, string? resourceVersion = null, string? resourceVersionMatch = null, int? limit = null, string? continueToken = null, string? labelSelector = null)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, Version, Namespace, Plural,
            continueParameter: continueToken, labelSelector: labelSelector, limit: limit, resourceVersion: resourceVersion, resourceVersionMatch: resourceVersionMatch);
        var items = list.GetProperty("items").EnumerateArray().Select(ToJob).ToList();
        var metadata = list.GetProperty("metadata");
        var next = metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
        return (items, metadata.GetProperty("resourceVersion").GetString()!, next);
    }

    public static TestComputeJob ToJob(JsonElement element) => KubernetesJson.Deserialize<TestComputeJob>(element.GetRawText());

    /// <summary>The HTTP status of the failed call, asserting that the body was a Kubernetes Status with that reason.</summary>
    public static async Task<HttpStatusCode> FailsWithAsync(Func<Task> call, string reason)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("Failure", status.Status);
        Assert.Equal(reason, status.Reason);
        Assert.Equal((int)e.Response.StatusCode, status.Code);
        return e.Response.StatusCode;
    }
}
