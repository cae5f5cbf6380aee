using System.Text.Json.Serialization;

namespace HpcK8s.KubeApiServer.Tests;

public sealed class TestStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}
