using HpcK8s.Kubernetes;

namespace HpcK8s.Cli.Kube;

/// <summary>How following a job ended, and the job as last seen.</summary>
internal sealed record FollowResult(FollowEnd End, V1Alpha1ComputeJob Job);
