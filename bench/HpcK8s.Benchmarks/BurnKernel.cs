using System.Diagnostics;
using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Benchmarks;

/// <summary>A kernel whose shards each keep a core busy for <c>milliseconds</c> of wall time (a spin loop), return "1",
/// and merge by adding. Spinning on the wall clock rather than on CPU time keeps a shard's length known even when other
/// processes share the cores, so what the engine adds on top stays measurable.</summary>
internal sealed class BurnKernel : IComputeKernel
{
    public string Name => "burn";

    public string Summary => "spins for spec.parameters.milliseconds per shard (engine benchmarks)";

    public IReadOnlyList<KernelParameter> Parameters => [new("milliseconds", "integer", true, null, "wall time each shard spins")];

    public IReadOnlyList<ValidationError> Validate(KernelJob job) => [];

    public string DescribeShard(KernelJob job, int index) => string.Create(CultureInfo.InvariantCulture, $"shard {index}");

    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromMilliseconds(double.Parse(job.Get("milliseconds") ?? "0", CultureInfo.InvariantCulture));
        var start = Stopwatch.GetTimestamp();
        var spins = 0L;
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            spins++;
        }

        return spins >= 0 ? "1" : "0";
    }

    public string Merge(KernelJob job, string left, string right) => NoopKernel.Add(left, right);

    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) => new(merged, new Dictionary<string, string>());
}
