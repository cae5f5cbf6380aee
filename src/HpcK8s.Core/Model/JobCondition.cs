namespace HpcK8s.Core.Model;

/// <summary>A Kubernetes-style condition.</summary>
public sealed class JobCondition
{
    /// <summary>Condition type, e.g. <c>Complete</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "Unknown";

    /// <summary>A CamelCase machine-readable reason.</summary>
    public string Reason { get; set; } = "";

    /// <summary>A human message.</summary>
    public string Message { get; set; } = "";

    /// <summary>When <see cref="Status"/> last changed.</summary>
    public DateTimeOffset LastTransitionTime { get; set; }
}
