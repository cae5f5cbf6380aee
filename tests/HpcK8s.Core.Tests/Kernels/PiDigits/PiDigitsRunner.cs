using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.PiDigits;

namespace HpcK8s.Core.Tests.Kernels.PiDigits;

/// <summary>Runs a whole pi-digits job in-process the way the workflow does: shards, reducer, finish.</summary>
internal static class PiDigitsRunner
{
    public static KernelJob Job(long digits, int shards) =>
        new(new Dictionary<string, string> { ["digits"] = digits.ToString(System.Globalization.CultureInfo.InvariantCulture) }, shards);

    public static KernelResult Run(PiDigitsKernel kernel, KernelJob job, IEnumerable<int>? order = null)
    {
        Assert.Empty(kernel.Validate(job));
        var reducer = new ShardReducer(job.Shards, (left, right) => kernel.Merge(job, left, right));
        foreach (var index in order ?? Enumerable.Range(0, job.Shards))
        {
            reducer.Add(index, kernel.ExecuteShard(job, index, CancellationToken.None));
        }

        return kernel.Finish(job, reducer.Result, CancellationToken.None);
    }
}
