using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Cli.Running;

/// <summary>Wraps a registry's kernels to count shard computations, so a run can report how many it did itself.</summary>
internal sealed class CountingKernels
{
    private int _executions;

    public CountingKernels(KernelRegistry kernels)
    {
        Registry = new KernelRegistry(
            kernels.Kernels.Select(k => new Counted(k, this)),
            kernels.Resolver is { } resolve ? name => resolve(name) is { } kernel ? new Counted(kernel, this) : null : null);
    }

    public KernelRegistry Registry { get; }

    public int Executions => Volatile.Read(ref _executions);

    private sealed class Counted(IComputeKernel inner, CountingKernels owner) : IComputeKernel
    {
        public string Name => inner.Name;

        public string Summary => inner.Summary;

        public IReadOnlyList<KernelParameter> Parameters => inner.Parameters;

        public IReadOnlyList<ValidationError> Validate(KernelJob job) => inner.Validate(job);

        public string DescribeShard(KernelJob job, int index) => inner.DescribeShard(job, index);

        public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._executions);
            return inner.ExecuteShard(job, index, cancellationToken);
        }

        public string Merge(KernelJob job, string left, string right) => inner.Merge(job, left, right);

        public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) => inner.Finish(job, merged, cancellationToken);
    }
}
