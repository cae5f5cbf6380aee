using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>
/// Drives one ComputeJob: records it in the ledger, fans its shards out through child
/// <see cref="ShardBatchWorkflow"/>s (at most <c>spec.parallelism</c> shards in flight), merges batch results as they
/// arrive, finishes the result, records it, and publishes <see cref="JobProgress"/> as custom status on every turn.
/// </summary>
/// <remarks>
/// <para>Deterministic: no clocks (the deadline is a durable timer from <see cref="WorkflowContext.CurrentUtcDateTime"/>),
/// no I/O (kernels' Merge is pure; everything else is an activity), children get instance ids derived from this one.</para>
/// <para>History stays bounded: this workflow holds about three events per batch, each batch a bounded number per shard.</para>
/// </remarks>
public sealed class ComputeJobWorkflow(KernelRegistry kernels) : Workflow<ComputeJobInput, ComputeJobOutput>
{
    /// <summary>The workflow's registered name.</summary>
    public const string WorkflowName = "ComputeJobWorkflow";

    /// <summary>
    /// The external event that changes a running job's parallelism (<c>spec.parallelism</c> is mutable), payload the new
    /// bound as an integer. Sent to the job with the job's parallelism, and to each running batch with its share
    /// (<see cref="Plan"/>'s <c>Inner</c>): a workflow cannot message its children, so whoever changes it tells both.
    /// </summary>
    public const string ParallelismEvent = "SetParallelism";

    /// <summary>How a job's parallelism is spread: <c>Inner</c> shards at once in each batch, <c>Concurrent</c> batches at once.</summary>
    /// <param name="parallelism">The job's effective parallelism.</param>
    /// <param name="batchSize">Shards per batch.</param>
    /// <returns>The split; <c>Inner × Concurrent ≤ parallelism</c> whenever parallelism ≥ 1.</returns>
    public static (int Inner, int Concurrent) Plan(int parallelism, int batchSize)
    {
        var inner = Math.Max(1, Math.Min(parallelism, Math.Max(1, batchSize)));
        return (inner, Math.Max(1, parallelism / inner));
    }

    /// <summary>The instance id of batch <paramref name="batch"/> of job instance <paramref name="instanceId"/>.</summary>
    public static string BatchInstanceId(string instanceId, int batch) => $"{instanceId}-b{batch}";

    /// <inheritdoc />
    public override async Task<ComputeJobOutput> RunAsync(WorkflowContext context, ComputeJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var spec = input.Spec;
        var kernelName = spec.Kernel.Name ?? spec.Kernel.DisplayName;
        var head = await RecordAsync(context, input.Ledger, new LedgerRecord(LedgerRecord.JobAccepted, Kernel: spec.Kernel.DisplayName, Digest: input.SpecDigest));
        if (!kernels.TryGet(kernelName, out var kernel))
        {
            return await FailAsync(context, input, 0, JobReasons.UnknownKernel, $"this worker has no kernel '{kernelName}'", head);
        }

        var job = new KernelJob(spec.Parameters, spec.Shards);
        var batchSize = Math.Max(1, input.BatchSize);
        var batches = (spec.Shards + batchSize - 1) / batchSize;
        var (inner, concurrent) = Plan(spec.EffectiveParallelism, batchSize);
        var change = context.WaitForExternalEventAsync<int>(ParallelismEvent);
        var backoff = Durations.TryParse(spec.Retry.Backoff, out var parsed) ? parsed : TimeSpan.FromSeconds(2);
        var reducer = new ShardReducer(batches, (left, right) => kernel.Merge(job, left, right));
        var running = new Dictionary<Task<ShardBatchOutput>, (int Batch, int Count)>();
        // Not cancelled when the job finishes first: a durable timer that fires after completion is ignored.
        var deadline = spec.ActiveDeadlineSeconds is { } seconds ? context.CreateTimer(TimeSpan.FromSeconds(seconds)) : null;
        int succeeded = 0, next = 0;
        while (reducer.Added < batches)
        {
            while (running.Count < concurrent && next < batches)
            {
                var start = next * batchSize;
                var count = Math.Min(batchSize, spec.Shards - start);
                var batchInput = new ShardBatchInput(input.Ledger, kernelName, spec.Parameters, spec.Shards, start, count, inner, spec.Retry.MaxAttempts, (long)backoff.TotalMilliseconds);
                var options = new ChildWorkflowTaskOptions(BatchInstanceId(context.InstanceId, next));
                running[context.CallChildWorkflowAsync<ShardBatchOutput>(ShardBatchWorkflow.WorkflowName, batchInput, options)] = (next, count);
                next++;
            }

            context.SetCustomStatus(new JobProgress(spec.Shards, succeeded, 0, running.Values.Sum(b => b.Count)));
            var waitingOn = deadline is null ? [.. running.Keys, change] : new List<Task>([.. running.Keys, change, deadline]);
            var done = await Task.WhenAny(waitingOn);
            if (done == change)
            {
                // Batches already running hear of it from the sender; batches started from now on get the new split.
                (inner, concurrent) = Plan(await change, batchSize);
                change = context.WaitForExternalEventAsync<int>(ParallelismEvent);
                continue;
            }

            if (done == deadline)
            {
                return await FailAsync(context, input, succeeded, JobReasons.DeadlineExceeded,
                    $"the job ran longer than spec.activeDeadlineSeconds ({spec.ActiveDeadlineSeconds}s); {succeeded} of {spec.Shards} shards had finished", head);
            }

            var batchTask = (Task<ShardBatchOutput>)done;
            running.Remove(batchTask, out var batch);
            var output = await batchTask;
            if (output.FailedShard is { } failedShard)
            {
                return await FailAsync(context, input, succeeded + output.Succeeded, JobReasons.ShardRetriesExhausted,
                    $"shard {failedShard} failed after {output.Attempts} attempt(s): {output.Error}", head, failed: 1);
            }

            reducer.Add(batch.Batch, output.Partial!);
            succeeded += output.Succeeded;
        }

        context.SetCustomStatus(new JobProgress(spec.Shards, succeeded, 0, 0));
        var finished = await context.CallActivityAsync<FinishJobOutput>(FinishJobActivity.ActivityName, new FinishJobInput(kernelName, spec.Parameters, spec.Shards, reducer.Result));
        head = await RecordAsync(context, input.Ledger, new LedgerRecord(LedgerRecord.JobCompleted, Digest: finished.Digest, Value: finished.Value, Shards: spec.Shards)) ?? head;
        return new ComputeJobOutput(JobPhase.Succeeded, finished.Value, finished.Digest, finished.Details, succeeded, 0, null, null, head);
    }

    private static async Task<ComputeJobOutput> FailAsync(WorkflowContext context, ComputeJobInput input, int succeeded, string reason, string message, LedgerHead? head, int failed = 0)
    {
        context.SetCustomStatus(new JobProgress(input.Spec.Shards, succeeded, failed, 0));
        head = await RecordAsync(context, input.Ledger, new LedgerRecord(LedgerRecord.JobFailed, Reason: reason, Message: message)) ?? head;
        return new ComputeJobOutput(JobPhase.Failed, null, null, null, succeeded, failed, reason, message, head);
    }

    private static Task<LedgerHead?> RecordAsync(WorkflowContext context, string jobName, LedgerRecord record) =>
        context.CallActivityAsync<LedgerHead?>(RecordLedgerActivity.ActivityName, new RecordLedgerInput(jobName, [record]));
}
