using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Kernels;

/// <summary>
/// A data-parallel computation: validates a job's parameters, computes one shard, and merges shard results.
/// </summary>
/// <remarks>
/// Contract every kernel honours, because the engines rely on it:
/// <list type="bullet">
/// <item><see cref="ExecuteShard"/> is a pure function of (parameters, shard count, index): the same partial
/// whichever thread, process or pod runs it, however often (activities run at least once).</item>
/// <item><see cref="Merge"/> combines the partials of two adjacent shard ranges, left before right, and is
/// associative: <c>Merge(Merge(a, b), c) == Merge(a, Merge(b, c))</c>. It need not be commutative.
/// <see cref="ShardReducer"/> merges in a fixed balanced tree, so results do not depend on arrival order.</item>
/// <item>Partials are strings so that they can travel through workflow history and JSON unchanged.</item>
/// <item>Invalid parameters are reported by <see cref="Validate"/> with field paths under
/// <c>spec.parameters.</c>; the other members may assume a job that validated.</item>
/// </list>
/// </remarks>
public interface IComputeKernel
{
    /// <summary>The kernel's name as written in <c>spec.kernel.name</c>, e.g. <c>pi-digits</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what the kernel computes.</summary>
    string Summary { get; }

    /// <summary>The parameters the kernel accepts.</summary>
    IReadOnlyList<KernelParameter> Parameters { get; }

    /// <summary>Checks parameters and shard count; returns every problem found (empty when valid).</summary>
    IReadOnlyList<ValidationError> Validate(KernelJob job);

    /// <summary>A short human description of shard <paramref name="index"/> (e.g. <c>terms 0..1099</c>).</summary>
    string DescribeShard(KernelJob job, int index);

    /// <summary>Computes shard <paramref name="index"/> (0-based, less than <see cref="KernelJob.Shards"/>).</summary>
    string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken);

    /// <summary>Merges the partials of two adjacent shard ranges, <paramref name="left"/> first.</summary>
    string Merge(KernelJob job, string left, string right);

    /// <summary>Turns the merged partial of all shards into the job's result.</summary>
    KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken);
}
