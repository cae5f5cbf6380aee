using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.MonteCarlo;

namespace HpcK8s.Benchmarks;

/// <summary>
/// pi-montecarlo against a scalar C loop with xoshiro256+ (two doubles per sample), same sample count, one core:
/// CPU seconds of the kernel (all shards run one after another on this thread) over the C program's. Target 0.5.
/// </summary>
internal sealed class MonteCarloComparison : IComparison
{
    public string Name => "montecarlo";

    public string Description => "pi-montecarlo vs scalar C xoshiro256+ (gcc -O3 -march=native), same samples, one core; target 0.5x CPU";

    public IReadOnlyList<ComparisonRow> Run(ComparisonContext context)
    {
        var samples = context.Quick ? 200_000_000L : 2_000_000_000L;
        var program = Reference.BuildC(context, "montecarlo_xoshiro");
        var (_, referenceCpu) = Reference.Run(program, samples.ToString(CultureInfo.InvariantCulture), out var stdout);
        CheckEstimate("reference", long.Parse(stdout.Trim(), CultureInfo.InvariantCulture), samples);

        var kernel = new PiMonteCarloKernel();
        RunKernel(kernel, 10_000_000); // JIT warm-up, so tiering is not measured
        KernelResult? result = null;
        var (_, oursCpu) = Reference.Measure(() => result = RunKernel(kernel, samples));
        CheckEstimate("pi-montecarlo", long.Parse(result!.Details["hits"], CultureInfo.InvariantCulture), samples);

        return [new ComparisonRow($"{samples:0.#e0} samples, 1 core", "cpu", oursCpu, referenceCpu, 0.5, "s")];
    }

    private static KernelResult RunKernel(PiMonteCarloKernel kernel, long samples)
    {
        var job = new KernelJob(new Dictionary<string, string> { ["samples"] = samples.ToString(CultureInfo.InvariantCulture) }, 16);
        var reducer = new ShardReducer(job.Shards, (a, b) => kernel.Merge(job, a, b));
        for (var i = 0; i < job.Shards; i++)
        {
            reducer.Add(i, kernel.ExecuteShard(job, i, CancellationToken.None));
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None);
    }

    // Both sides must do real work: an estimate more than 6 standard errors from pi means a broken loop.
    private static void CheckEstimate(string who, long hits, long samples)
    {
        var p = Math.PI / 4;
        var z = ((double)hits / samples - p) / Math.Sqrt(p * (1 - p) / samples);
        if (Math.Abs(z) > 6)
        {
            throw new InvalidOperationException($"{who}: {hits} hits of {samples} is {z:0.0} standard errors from pi/4");
        }
    }
}
