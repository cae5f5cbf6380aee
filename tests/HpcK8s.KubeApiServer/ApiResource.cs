namespace HpcK8s.KubeApiServer;

/// <summary>A namespaced resource type the fake API server serves, with the strategy flags that decide how writes
/// behave (the same switches the real API server's registry strategies have).</summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Version">API version, e.g. <c>v1alpha1</c>.</param>
/// <param name="Plural">Plural resource name used in URLs, e.g. <c>computejobs</c>.</param>
/// <param name="Kind">Kind written into objects, e.g. <c>ComputeJob</c>.</param>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind)
{
    /// <summary>Status is written only through <c>…/status</c>; the main endpoint keeps the stored status.</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>Serves <c>…/scale</c> as an <c>autoscaling/v1</c> Scale over <c>spec.replicas</c>.</summary>
    public bool HasScaleSubresource { get; init; }

    /// <summary>Sets <c>metadata.generation</c> to 1 on create and bumps it when anything but metadata and status changes.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether a PUT without <c>metadata.resourceVersion</c> is accepted (false for custom resources, as in Kubernetes).</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>Custom resources reject strategic merge patch with 415, as the real API server does.</summary>
    public bool IsCustomResource { get; init; }

    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name Kubernetes uses in error messages: <c>plural.group</c>, or the plural for the core group.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind of a list of these objects.</summary>
    public string ListKind => Kind + "List";

    /// <summary>The ComputeJob custom resource (charts/hpck8s/crds/computejobs.hpck8s.io.yaml): status subresource, no scale.</summary>
    public static ApiResource ComputeJobs { get; } = CustomResource("hpck8s.io", "v1alpha1", "computejobs", "ComputeJob");

    /// <summary><c>apps/v1</c> Deployments, with status and scale subresources.</summary>
    public static ApiResource Deployments { get; } = new("apps", "v1", "deployments", "Deployment")
    {
        HasStatusSubresource = true,
        HasScaleSubresource = true,
        TracksGeneration = true,
    };

    /// <summary><c>coordination.k8s.io/v1</c> Leases (leader election).</summary>
    public static ApiResource Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease");

    /// <summary>Core <c>v1</c> Events.</summary>
    public static ApiResource CoreEvents { get; } = new("", "v1", "events", "Event");

    /// <summary><c>events.k8s.io/v1</c> Events.</summary>
    public static ApiResource Events { get; } = new("events.k8s.io", "v1", "events", "Event");

    /// <summary>A namespaced custom resource as a CRD declares it: generation tracked, no unconditional update.</summary>
    public static ApiResource CustomResource(string group, string version, string plural, string kind, bool statusSubresource = true) =>
        new(group, version, plural, kind)
        {
            HasStatusSubresource = statusSubresource,
            TracksGeneration = true,
            AllowUnconditionalUpdate = false,
            IsCustomResource = true,
        };

    internal string Key => $"{Group}/{Plural}";
}
