namespace HpcK8s.Operator;

/// <summary>Where an <see cref="RbacAttribute"/>'s permission is granted.</summary>
public enum RbacScope
{
    /// <summary>Where ComputeJobs are watched: a ClusterRole when watching all namespaces, else a Role there.</summary>
    Watched,

    /// <summary>Only in the operator's own namespace (a Role).</summary>
    Local,
}
