using System.Text.Json.Serialization;
using k8s.Models;

namespace HpcK8s.Operator.Informers;

/// <summary>The body of a list response for any resource type: <c>metadata</c> (resourceVersion, continue) and <c>items</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class ResourceList<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}
