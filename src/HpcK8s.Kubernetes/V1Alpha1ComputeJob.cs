using System.Text.Json.Serialization;
using HpcK8s.Core.Model;
using k8s;
using k8s.Models;

namespace HpcK8s.Kubernetes;

/// <summary>A <c>hpck8s.io/v1alpha1</c> ComputeJob as stored by the API server. Spec and status are the very types
/// <c>hpck8s run</c> reads from a manifest, so a manifest means the same thing on a laptop and on a cluster.</summary>
[KubernetesEntity(Group = ComputeJobResource.Group, ApiVersion = ComputeJobResource.Version, Kind = ComputeJobResource.Kind, PluralName = ComputeJobResource.Plural)]
public sealed class V1Alpha1ComputeJob : IKubernetesObject<V1ObjectMeta>, ISpec<ComputeJobSpec>, IStatus<ComputeJobStatus?>
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ComputeJobResource.ApiVersion;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ComputeJobResource.Kind;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("spec")]
    public ComputeJobSpec Spec { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("status")]
    public ComputeJobStatus? Status { get; set; }
}
