namespace HpcK8s.Core.Kernels;

/// <summary>The kernels a process knows, by name.</summary>
public sealed class KernelRegistry
{
    private readonly Dictionary<string, IComputeKernel> _kernels = new(StringComparer.Ordinal);

    /// <summary>Creates a registry holding <paramref name="kernels"/>.</summary>
    public KernelRegistry(IEnumerable<IComputeKernel> kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        foreach (var kernel in kernels)
        {
            if (!_kernels.TryAdd(kernel.Name, kernel))
            {
                throw new ArgumentException($"two kernels are named '{kernel.Name}'", nameof(kernels));
            }
        }
    }

    /// <summary>The registry of the built-in kernels.</summary>
    public static KernelRegistry BuiltIn { get; } = new(BuiltInKernels.All);

    /// <summary>All kernels, ordered by name.</summary>
    public IReadOnlyList<IComputeKernel> Kernels => [.. _kernels.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>Finds a kernel by name.</summary>
    public bool TryGet(string name, out IComputeKernel kernel) => _kernels.TryGetValue(name, out kernel!);

    /// <summary>Finds a kernel by name or throws with the list of known kernels.</summary>
    public IComputeKernel Get(string name) =>
        _kernels.TryGetValue(name, out var kernel)
            ? kernel
            : throw new KeyNotFoundException($"unknown kernel '{name}'; known kernels: {string.Join(", ", _kernels.Keys.Order(StringComparer.Ordinal))}");
}
