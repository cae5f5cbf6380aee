namespace HpcK8s.Workflows.Jobs;

/// <summary>Output of the <c>FinishJob</c> activity.</summary>
public sealed record FinishJobOutput(string Value, string Digest, IReadOnlyDictionary<string, string> Details);
