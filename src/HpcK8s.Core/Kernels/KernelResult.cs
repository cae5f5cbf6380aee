namespace HpcK8s.Core.Kernels;

/// <summary>A finished job's result.</summary>
/// <param name="Value">The result as text (e.g. <c>3.14159…</c> or <c>243f6a88</c>).</param>
/// <param name="Details">Kernel-specific figures, e.g. <c>samples</c> and <c>hits</c> for Monte Carlo.</param>
public sealed record KernelResult(string Value, IReadOnlyDictionary<string, string> Details);
