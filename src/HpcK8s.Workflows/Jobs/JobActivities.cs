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

/// <summary>Turns a job's merged partial into its result (the heavy final step of e.g. pi-digits).</summary>
public sealed class FinishJobActivity(KernelRegistry kernels) : WorkflowActivity<FinishJobInput, FinishJobOutput>
{
    /// <summary>The activity's registered name.</summary>
    public const string ActivityName = "FinishJob";

    /// <inheritdoc />
    public override Task<FinishJobOutput> RunAsync(WorkflowActivityContext context, FinishJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var result = kernels.Get(input.Kernel).Finish(new KernelJob(input.Parameters, input.Shards), input.Merged, context.CancellationToken);
        return Task.FromResult(new FinishJobOutput(result.Value, Digest.OfText(result.Value), result.Details));
    }
}

/// <summary>Input of the <c>RecordLedger</c> activity.</summary>
public sealed record RecordLedgerInput(string JobName, IReadOnlyList<LedgerRecord> Records);

/// <summary>Appends records to the job's ledger through <see cref="IJobLedger"/>.</summary>
public sealed class RecordLedgerActivity(IJobLedger ledger) : WorkflowActivity<RecordLedgerInput, LedgerHead?>
{
    /// <summary>The activity's registered name.</summary>
    public const string ActivityName = "RecordLedger";

    /// <inheritdoc />
    public override Task<LedgerHead?> RunAsync(WorkflowActivityContext context, RecordLedgerInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return ledger.AppendAsync(input.JobName, input.Records, context.CancellationToken);
    }
}
