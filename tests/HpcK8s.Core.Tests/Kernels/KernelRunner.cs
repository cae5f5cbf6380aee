using HpcK8s.Core.Kernels;

namespace HpcK8s.Core.Tests.Kernels;

/// <summary>Runs a kernel job in-process the way the engines do: validate, execute every shard, reduce in a given order.</summary>
internal static class KernelRunner
{
    public static KernelJob Job(int shards, params (string Key, string Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), shards);

    /// <summary>Runs the job with shards arriving in a shuffled order (<paramref name="orderSeed"/>; null = in order).</summary>
    public static KernelResult Run(IComputeKernel kernel, KernelJob job, int? orderSeed = null)
    {
        var errors = kernel.Validate(job);
        Assert.Empty(errors);
        var order = Enumerable.Range(0, job.Shards).ToArray();
        if (orderSeed is { } seed)
        {
            new Random(seed).Shuffle(order);
        }

        var reducer = new ShardReducer(job.Shards, (a, b) => kernel.Merge(job, a, b));
        foreach (var index in order)
        {
            reducer.Add(index, kernel.ExecuteShard(job, index, CancellationToken.None));
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None);
    }
}
