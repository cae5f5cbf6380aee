namespace HpcK8s.KubeApiServer;

/// <summary>Settings of a <see cref="FakeKubeApiServer"/>; the defaults suit tests.</summary>
public sealed class FakeKubeApiServerOptions
{
    /// <summary>How often watches that asked for <c>allowWatchBookmarks=true</c> get a BOOKMARK (Kubernetes: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The resource types served; unknown paths answer 404 as an API server without the CRD would.</summary>
    public IList<ApiResource> Resources { get; } = new List<ApiResource>
    {
        ApiResource.ComputeJobs,
        ApiResource.Deployments,
        ApiResource.Leases,
        ApiResource.CoreEvents,
        ApiResource.Events,
    };

    /// <summary>Clock for timestamps (creationTimestamp, deletionTimestamp).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
