using BenchmarkDotNet.Attributes;
using HpcK8s.Core.Kernels;

namespace HpcK8s.Benchmarks;

/// <summary>
/// Micro-benchmarks of one shard of each built-in kernel (run with <c>bench/run.sh</c>'s sibling:
/// <c>dotnet run -c Release --project bench/HpcK8s.Benchmarks -- bdn --filter '*Kernel*'</c>). The side-by-side
/// ratios against C and GMP live in the comparisons; these track the kernels' own cost between commits.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private static readonly KernelJob MonteCarlo = Job(("samples", "100000000"), ("seed", "1"));
    private static readonly KernelJob Bbp = Job(("position", "1000000"), ("count", "24"));
    private static readonly KernelJob Digits = Job(("digits", "100000"));

    /// <summary>10,000,000 Monte Carlo samples (one shard of ten).</summary>
    [Benchmark]
    public string MonteCarloShard() => KernelRegistry.BuiltIn.Get("pi-montecarlo").ExecuteShard(MonteCarlo with { Shards = 10 }, 0, CancellationToken.None);

    /// <summary>24 hex digits of pi at position 1,000,000 (one BBP evaluation).</summary>
    [Benchmark]
    public string BbpAtOneMillion() => KernelRegistry.BuiltIn.Get("pi-bbp").ExecuteShard(Bbp, 0, CancellationToken.None);

    /// <summary>100,000 decimal digits: 16 shards, balanced merge, finish.</summary>
    [Benchmark]
    public string DigitsWholeJob()
    {
        var kernel = KernelRegistry.BuiltIn.Get("pi-digits");
        var job = Digits with { Shards = 16 };
        var reducer = new ShardReducer(16, (a, b) => kernel.Merge(job, a, b));
        for (var i = 0; i < 16; i++)
        {
            reducer.Add(i, kernel.ExecuteShard(job, i, CancellationToken.None));
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None).Value;
    }

    private static KernelJob Job(params (string Key, string Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Key, p => p.Value), 1);
}
