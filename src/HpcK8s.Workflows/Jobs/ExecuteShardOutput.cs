namespace HpcK8s.Workflows.Jobs;

/// <summary>Output of the <c>ExecuteShard</c> activity.</summary>
/// <param name="Partial">The kernel's partial for the shard.</param>
/// <param name="Digest"><c>sha256:</c> digest of <paramref name="Partial"/>.</param>
/// <param name="Worker">Which worker computed it (host and process).</param>
/// <param name="DurationMilliseconds">How long the kernel ran.</param>
public sealed record ExecuteShardOutput(string Partial, string Digest, string Worker, long DurationMilliseconds);
