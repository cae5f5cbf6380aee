namespace HpcK8s.Workflows.Jobs;

/// <summary>Input of the <c>FinishJob</c> activity.</summary>
public sealed record FinishJobInput(string Kernel, IReadOnlyDictionary<string, string> Parameters, int Shards, string Merged);
