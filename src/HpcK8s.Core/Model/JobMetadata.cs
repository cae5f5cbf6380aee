namespace HpcK8s.Core.Model;

/// <summary>The subset of Kubernetes object metadata HpcK8s reads.</summary>
public sealed class JobMetadata
{
    /// <summary>A DNS-1123 subdomain name, at most 253 characters (the operator further limits it to 63).</summary>
    public string Name { get; set; } = "";

    /// <summary>Kubernetes namespace; null means the default one.</summary>
    public string? Namespace { get; set; }

    /// <summary>Labels as in Kubernetes.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Annotations as in Kubernetes.</summary>
    public Dictionary<string, string> Annotations { get; set; } = [];
}
