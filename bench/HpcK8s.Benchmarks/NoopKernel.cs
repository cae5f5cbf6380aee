using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Benchmarks;

/// <summary>A kernel that does nothing: each shard returns "1" and merging adds, so a job's value is its shard count.
/// Measures the engine alone.</summary>
internal sealed class NoopKernel : IComputeKernel
{
    public string Name => "noop";

    public string Summary => "returns 1 per shard and merges by adding (engine benchmarks)";

    public IReadOnlyList<KernelParameter> Parameters => [];

    public IReadOnlyList<ValidationError> Validate(KernelJob job) => [];

    public string DescribeShard(KernelJob job, int index) => string.Create(CultureInfo.InvariantCulture, $"shard {index}");

    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken) => "1";

    public string Merge(KernelJob job, string left, string right) => Add(left, right);

    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) => new(merged, new Dictionary<string, string>());

    internal static string Add(string left, string right) =>
        (long.Parse(left, CultureInfo.InvariantCulture) + long.Parse(right, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
}
