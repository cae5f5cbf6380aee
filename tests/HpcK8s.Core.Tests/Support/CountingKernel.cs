using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Tests.Support;

/// <summary>A tiny kernel for tests: sums the integers 1..n split over shards.</summary>
internal sealed class CountingKernel : IComputeKernel
{
    private static readonly KernelParameter[] Params = [new("n", "integer 1..1000000", true, null, "count up to n")];

    public string Name => "count";

    public string Summary => "sums 1..n";

    public IReadOnlyList<KernelParameter> Parameters => Params;

    public IReadOnlyList<ValidationError> Validate(KernelJob job)
    {
        var errors = new List<ValidationError>();
        KernelParameterReader.RejectUnknown(job, Params, errors);
        var n = KernelParameterReader.ReadInt64(job, "n", 1, 1_000_000, null, errors);
        if (n is { } value && job.Shards > value)
        {
            errors.Add(new("spec.shards", $"must be at most n ({value}), got {job.Shards}"));
        }

        return errors;
    }

    public string DescribeShard(KernelJob job, int index) => $"shard {index}";

    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var n = KernelParameterReader.GetInt64(job, "n", 0);
        var (start, end) = (n * index / job.Shards + 1, n * (index + 1) / job.Shards);
        long sum = 0;
        for (var i = start; i <= end; i++)
        {
            sum += i;
        }

        return sum.ToString(CultureInfo.InvariantCulture);
    }

    public string Merge(KernelJob job, string left, string right) =>
        (long.Parse(left, CultureInfo.InvariantCulture) + long.Parse(right, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);

    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) =>
        new(merged, new Dictionary<string, string> { ["n"] = job.Get("n")! });

    public static KernelRegistry Registry { get; } = new([new CountingKernel()]);
}
