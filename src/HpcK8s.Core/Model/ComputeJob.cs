namespace HpcK8s.Core.Model;

/// <summary>A <c>hpck8s.io/v1alpha1</c> ComputeJob: what to compute, how to cut it, and what happened.</summary>
public sealed class ComputeJob
{
    /// <summary>The API group and version every ComputeJob carries.</summary>
    public const string ApiVersionValue = "hpck8s.io/v1alpha1";

    /// <summary>The resource kind.</summary>
    public const string KindValue = "ComputeJob";

    /// <summary>Always <see cref="ApiVersionValue"/>.</summary>
    public string ApiVersion { get; set; } = ApiVersionValue;

    /// <summary>Always <see cref="KindValue"/>.</summary>
    public string Kind { get; set; } = KindValue;

    /// <summary>Name, namespace, labels.</summary>
    public JobMetadata Metadata { get; set; } = new();

    /// <summary>What the user asked for.</summary>
    public ComputeJobSpec Spec { get; set; } = new();

    /// <summary>What happened; written by the engine or operator, never by the user.</summary>
    public ComputeJobStatus? Status { get; set; }
}
