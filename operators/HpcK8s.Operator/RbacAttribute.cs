namespace HpcK8s.Operator;

/// <summary>
/// A Kubernetes permission the annotated code needs, written next to it (as kubebuilder's <c>+kubebuilder:rbac</c>
/// markers are). The chart's operator Roles must grant exactly the union of these: a test renders the chart and
/// compares.
/// </summary>
/// <param name="group">The API group ("" for the core group).</param>
/// <param name="resource">The resource, or <c>resource/subresource</c>.</param>
/// <param name="verbs">The verbs.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RbacAttribute(string group, string resource, params string[] verbs) : Attribute
{
    /// <summary>The API group ("" for the core group).</summary>
    public string Group { get; } = group;

    /// <summary>The resource, or <c>resource/subresource</c>.</summary>
    public string Resource { get; } = resource;

    /// <summary>The verbs.</summary>
    public IReadOnlyList<string> Verbs { get; } = verbs;

    /// <summary>Where the permission applies: cluster-wide or the watched namespace (<see cref="RbacScope.Watched"/>),
    /// or only the operator's own namespace and, when set, only the objects named by <see cref="ResourceNames"/>.</summary>
    public RbacScope Scope { get; init; } = RbacScope.Watched;

    /// <summary>A description of the object names the rule is limited to (e.g. "the lease", "the worker Deployment"); empty: any.</summary>
    public string? ResourceNames { get; init; }
}
