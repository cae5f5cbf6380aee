namespace HpcK8s.Core.Kernels;

/// <summary>Describes one kernel parameter for validation messages and <c>hpck8s kernels</c>.</summary>
/// <param name="Name">Key under <c>spec.parameters</c>.</param>
/// <param name="Type">Human type, e.g. <c>integer 1..10000000</c>.</param>
/// <param name="Required">Whether the job must set it.</param>
/// <param name="Default">Value used when absent (null when required or when there is none).</param>
/// <param name="Description">What it means.</param>
public sealed record KernelParameter(string Name, string Type, bool Required, string? Default, string Description);
