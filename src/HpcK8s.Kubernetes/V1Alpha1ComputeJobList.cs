using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HpcK8s.Kubernetes;

/// <summary>A list of ComputeJobs as the API server returns it.</summary>
[KubernetesEntity(Group = ComputeJobResource.Group, ApiVersion = ComputeJobResource.Version, Kind = ComputeJobResource.Kind + "List", PluralName = ComputeJobResource.Plural)]
public sealed class V1Alpha1ComputeJobList : IKubernetesObject<V1ListMeta>, IItems<V1Alpha1ComputeJob>
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ComputeJobResource.ApiVersion;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ComputeJobResource.Kind + "List";

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("items")]
    public IList<V1Alpha1ComputeJob> Items { get; set; } = [];
}
