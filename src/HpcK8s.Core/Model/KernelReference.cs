using System.Text.Json.Serialization;

namespace HpcK8s.Core.Model;

/// <summary>Names a built-in kernel, or a Dapr app that serves shards (<see cref="AppId"/> + <see cref="Method"/>).</summary>
public sealed class KernelReference
{
    /// <summary>A built-in kernel's name, e.g. <c>pi-digits</c>. Exactly one of this and <see cref="AppId"/> is set.</summary>
    public string? Name { get; set; }

    /// <summary>The Dapr app id of an external kernel.</summary>
    public string? AppId { get; set; }

    /// <summary>The method the external kernel app serves shards on; required with <see cref="AppId"/>.</summary>
    public string? Method { get; set; }

    /// <summary>A display name: the kernel name, or <c>appId/method</c>.</summary>
    [JsonIgnore]
    public string DisplayName => Name ?? $"{AppId}/{Method}";
}
