using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grpc.Core;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;

namespace HpcK8s.Operator.Reconciliation;

/// <summary><see cref="IJobWorkflows"/> over a Dapr sidecar's workflow API (the workers' daprd).</summary>
/// <remarks>
/// <para>The sidecar cannot list a workflow's children, but batch ids are derived (<c>{job}-b{i}</c>) and batches start in
/// order, so progress reads batches from the first unfinished one up to the first that does not exist yet. Finished
/// batches are remembered per job, so a poll costs one call per batch in flight plus one.</para>
/// <para>Callers never poll the same job concurrently (the work queue hands a key to one worker at a time).</para>
/// </remarks>
internal sealed class DaprJobWorkflows(DaprWorkflowClient client) : IJobWorkflows
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, JobProgress>> _finishedBatches = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<DaprWorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        client.GetWorkflowStateAsync(instanceId, cancellationToken);

    /// <inheritdoc />
    public async Task<JobProgress?> GetBatchProgressAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var batches = (input.Spec.Shards + input.BatchSize - 1) / input.BatchSize;
        var progress = new List<JobProgress>();
        await foreach (var batch in OpenBatchesAsync(instanceId, batches, cancellationToken).ConfigureAwait(false))
        {
            if (!batch.IsTerminal)
            {
                progress.Add(batch.ReadCustomStatusAs<JobProgress>() ?? new JobProgress(0, 0, 0, 0));
            }
        }

        // The batches that finished, this time or before, are in the cache now.
        progress.AddRange(Finished(instanceId).Values);
        return progress.Count == 0
            ? null
            : new JobProgress(progress.Sum(p => p.Total), progress.Sum(p => p.Succeeded), progress.Sum(p => p.Failed), progress.Sum(p => p.Running));
    }

    /// <inheritdoc />
    public async Task StartAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewWorkflowAsync(ComputeJobWorkflow.WorkflowName, instanceId, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // Started by an earlier reconcile whose status write was lost: the same workflow, nothing to do.
        }
    }

    /// <inheritdoc />
    /// <remarks>Durable Task suspends one instance, not its children: the job's batches are suspended too, or they would go on
    /// starting shards. Called on every poll of a suspended job, it also catches a batch the job started just before its
    /// own suspension took effect.</remarks>
    public async Task SuspendAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job is { IsTerminal: false, Status: not OrchestrationStatus.Suspended })
        {
            await client.SuspendWorkflowAsync(job.InstanceId, reason, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var batch in OpenBatchesAsync(job.InstanceId, null, cancellationToken).ConfigureAwait(false))
        {
            if (batch.Status is OrchestrationStatus.Running or OrchestrationStatus.Pending)
            {
                await client.SuspendWorkflowAsync(batch.InstanceId, reason, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Batches first, then the job, so the job never waits on a batch still held.</remarks>
    public async Task ResumeAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await foreach (var batch in OpenBatchesAsync(job.InstanceId, null, cancellationToken).ConfigureAwait(false))
        {
            if (batch.Status == OrchestrationStatus.Suspended)
            {
                await client.ResumeWorkflowAsync(batch.InstanceId, reason, cancellationToken).ConfigureAwait(false);
            }
        }

        if (job.Status == OrchestrationStatus.Suspended)
        {
            await client.ResumeWorkflowAsync(job.InstanceId, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>The job first, so batches it starts from now on get the new share; then the batches already open.</remarks>
    public async Task SetParallelismAsync(string instanceId, int parallelism, int batchSize, CancellationToken cancellationToken)
    {
        await client.RaiseEventAsync(instanceId, ComputeJobWorkflow.ParallelismEvent, parallelism, cancellationToken).ConfigureAwait(false);
        var inner = ComputeJobWorkflow.Plan(parallelism, batchSize).Inner;
        await foreach (var batch in OpenBatchesAsync(instanceId, null, cancellationToken).ConfigureAwait(false))
        {
            if (!batch.IsTerminal)
            {
                await client.RaiseEventAsync(batch.InstanceId, ComputeJobWorkflow.ParallelismEvent, inner, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The job's termination is recursive, but it reaches the batches only once the engine has processed it; a
    /// batch still open is terminated directly too, and the answer is true only once every instance is terminal, so the
    /// caller purges nothing that still runs.</remarks>
    public async Task<bool> TerminateAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.IsTerminal)
        {
            await TerminateOneAsync(job.InstanceId, reason, cancellationToken).ConfigureAwait(false);
        }

        var open = 0;
        await foreach (var batch in OpenBatchesAsync(job.InstanceId, null, cancellationToken).ConfigureAwait(false))
        {
            if (!batch.IsTerminal)
            {
                open++;
                await TerminateOneAsync(batch.InstanceId, reason, cancellationToken).ConfigureAwait(false);
            }
        }

        return job.IsTerminal && open == 0;
    }

    /// <inheritdoc />
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        // The reconciler purges only terminal instances, so no force (which Beta1 sidecars lack) is needed.
        var purged = await client.PurgeWorkflowAsync(instanceId, recursive: true, force: false, cancellationToken).ConfigureAwait(false);
        Forget(instanceId);
        return purged;
    }

    /// <inheritdoc />
    public void Forget(string instanceId) => _finishedBatches.TryRemove(instanceId, out _);

    private async Task TerminateOneAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await client.TerminateWorkflowAsync(instanceId, reason, recursive: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            // A sidecar with only the Beta1 call records no termination output; the status already says why.
            await client.TerminateWorkflowAsync(instanceId, null, recursive: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private ConcurrentDictionary<int, JobProgress> Finished(string instanceId) =>
        _finishedBatches.GetOrAdd(instanceId, _ => new ConcurrentDictionary<int, JobProgress>());

    // The job's batches not yet known to have finished, in order, up to the first that does not exist (batches start in
    // order) or to count. A batch found finished is remembered with its final progress, and yielded this once.
    private async IAsyncEnumerable<DaprWorkflowState> OpenBatchesAsync(string instanceId, int? count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var finished = Finished(instanceId);
        for (var i = 0; count is null || i < count; i++)
        {
            if (finished.ContainsKey(i))
            {
                continue;
            }

            var batch = await client.GetWorkflowStateAsync(ComputeJobWorkflow.BatchInstanceId(instanceId, i), cancellationToken).ConfigureAwait(false);
            if (batch is null)
            {
                yield break;
            }

            if (batch.IsTerminal)
            {
                finished[i] = (batch.ReadCustomStatusAs<JobProgress>() ?? new JobProgress(0, 0, 0, 0)) with { Running = 0 };
            }

            yield return batch;
        }
    }
}
