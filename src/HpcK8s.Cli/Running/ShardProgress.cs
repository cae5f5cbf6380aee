namespace HpcK8s.Cli.Running;

/// <summary>A progress snapshot: shards done out of total, and how many are in flight.</summary>
internal readonly record struct ShardProgress(int Total, int Succeeded, int Running, int Failed, int Resumed);
