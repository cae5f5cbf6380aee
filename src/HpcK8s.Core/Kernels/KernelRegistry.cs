namespace HpcK8s.Core.Kernels;

/// <summary>The kernels a process knows, by name.</summary>
public sealed class KernelRegistry
{
    private readonly Dictionary<string, IComputeKernel> _kernels = new(StringComparer.Ordinal);
    private readonly Func<string, IComputeKernel?>? _resolve;

    /// <summary>Creates a registry holding <paramref name="kernels"/>; names it does not hold are asked of
    /// <paramref name="resolve"/> (e.g. external kernels, named <c>appId/method</c>), when given.</summary>
    public KernelRegistry(IEnumerable<IComputeKernel> kernels, Func<string, IComputeKernel?>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        _resolve = resolve;
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

    /// <summary>The resolver for names the registry does not hold, if any.</summary>
    public Func<string, IComputeKernel?>? Resolver => _resolve;

    /// <summary>The built-in (registered) kernels, ordered by name; resolved ones are not listed.</summary>
    public IReadOnlyList<IComputeKernel> Kernels => [.. _kernels.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>Finds a kernel by name.</summary>
    public bool TryGet(string name, out IComputeKernel kernel)
    {
        if (_kernels.TryGetValue(name, out kernel!))
        {
            return true;
        }

        kernel = _resolve?.Invoke(name)!;
        return kernel is not null;
    }

    /// <summary>Finds a kernel by name or throws with the list of known kernels.</summary>
    public IComputeKernel Get(string name) =>
        TryGet(name, out var kernel)
            ? kernel
            : throw new KeyNotFoundException($"unknown kernel '{name}'; known kernels: {string.Join(", ", _kernels.Keys.Order(StringComparer.Ordinal))}");
}
