namespace HpcK8s.Workflows.Jobs;

/// <summary>Input of the <c>ExecuteShard</c> activity.</summary>
public sealed record ExecuteShardInput(string JobName, string Kernel, IReadOnlyDictionary<string, string> Parameters, int Shards, int Index, int Attempt);
