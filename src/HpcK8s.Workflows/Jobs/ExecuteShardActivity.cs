using System.Diagnostics;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>Computes one shard with the named built-in kernel. Idempotent: the kernel is a pure function of its input.</summary>
public sealed class ExecuteShardActivity(KernelRegistry kernels) : WorkflowActivity<ExecuteShardInput, ExecuteShardOutput>
{
    /// <summary>The activity's registered name.</summary>
    public const string ActivityName = "ExecuteShard";

    private static readonly string WorkerName = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <inheritdoc />
    public override Task<ExecuteShardOutput> RunAsync(WorkflowActivityContext context, ExecuteShardInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var kernel = kernels.Get(input.Kernel);
        var clock = Stopwatch.StartNew();
        var partial = kernel.ExecuteShard(new KernelJob(input.Parameters, input.Shards), input.Index, context.CancellationToken);
        return Task.FromResult(new ExecuteShardOutput(partial, Digest.OfText(partial), WorkerName, clock.ElapsedMilliseconds));
    }
}
