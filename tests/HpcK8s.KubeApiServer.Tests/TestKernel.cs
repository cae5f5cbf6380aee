using System.Text.Json.Serialization;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class TestKernel
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
