namespace HpcK8s.Core.Kernels;

/// <summary>What a kernel sees of a job: its parameters and how many shards it is cut into.</summary>
/// <param name="Parameters">The job's <c>spec.parameters</c> (string values, parsed by the kernel).</param>
/// <param name="Shards">The job's <c>spec.shards</c>, at least 1.</param>
public sealed record KernelJob(IReadOnlyDictionary<string, string> Parameters, int Shards)
{
    /// <summary>Returns the parameter's value, or null when it is absent.</summary>
    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}
