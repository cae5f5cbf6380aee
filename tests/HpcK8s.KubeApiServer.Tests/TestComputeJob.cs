using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HpcK8s.KubeApiServer.Tests;

/// <summary>A minimal ComputeJob shape for these tests (the operator's real CRD class lives with the operator).</summary>
[KubernetesEntity(Group = "hpck8s.io", ApiVersion = "v1alpha1", Kind = "ComputeJob", PluralName = "computejobs")]
public sealed class TestComputeJob : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "hpck8s.io/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ComputeJob";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TestSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public TestStatus? Status { get; set; }

    public static TestComputeJob New(string name, int shards = 4, string ns = Jobs.Namespace) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new TestSpec { Kernel = new TestKernel { Name = "pi-montecarlo" }, Shards = shards },
    };
}
