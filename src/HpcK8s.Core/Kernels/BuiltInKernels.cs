using HpcK8s.Core.Kernels.Bbp;
using HpcK8s.Core.Kernels.MonteCarlo;

namespace HpcK8s.Core.Kernels;

/// <summary>The kernels that ship with HpcK8s.</summary>
public static class BuiltInKernels
{
    /// <summary>Every built-in kernel.</summary>
    public static IReadOnlyList<IComputeKernel> All { get; } =
    [
        new PiDigits.PiDigitsKernel(),
        new PiMonteCarloKernel(),
        new PiBbpKernel(),
    ];
}
