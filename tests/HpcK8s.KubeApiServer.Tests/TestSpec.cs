using System.Text.Json.Serialization;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class TestSpec
{
    [JsonPropertyName("kernel")]
    public TestKernel? Kernel { get; set; }

    [JsonPropertyName("shards")]
    public int? Shards { get; set; }

    [JsonPropertyName("parallelism")]
    public int? Parallelism { get; set; }
}
