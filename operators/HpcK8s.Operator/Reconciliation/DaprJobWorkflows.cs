using System.Collections.Concurrent;
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
        var finished = _finishedBatches.GetOrAdd(instanceId, _ => new ConcurrentDictionary<int, JobProgress>());
        var batches = (input.Spec.Shards + input.BatchSize - 1) / input.BatchSize;
        int total = 0, succeeded = 0, failed = 0, running = 0, seen = 0;
        for (var i = 0; i < batches; i++)
        {
            if (!finished.TryGetValue(i, out var progress))
            {
                var state = await client.GetWorkflowStateAsync(ComputeJobWorkflow.BatchInstanceId(instanceId, i), cancellationToken).ConfigureAwait(false);
                if (state is null)
                {
                    break;
                }

                progress = state.ReadCustomStatusAs<JobProgress>() ?? new JobProgress(0, 0, 0, 0);
                if (state.IsTerminal)
                {
                    finished[i] = progress with { Running = 0 };
                }
            }

            seen++;
            total += progress.Total;
            succeeded += progress.Succeeded;
            failed += progress.Failed;
            running += progress.Running;
        }

        return seen == 0 ? null : new JobProgress(total, succeeded, failed, running);
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
    public async Task SuspendAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        if (await client.GetWorkflowStateAsync(instanceId, cancellationToken).ConfigureAwait(false) is { IsTerminal: false, Status: not OrchestrationStatus.Suspended })
        {
            await client.SuspendWorkflowAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
        }

        await ForEachOpenBatchAsync(instanceId, s => s is OrchestrationStatus.Running or OrchestrationStatus.Pending, id => client.SuspendWorkflowAsync(id, reason, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Batches first, then the job, so the job never waits on a batch still held.</remarks>
    public async Task ResumeAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        await ForEachOpenBatchAsync(instanceId, s => s == OrchestrationStatus.Suspended, id => client.ResumeWorkflowAsync(id, reason, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (await client.GetWorkflowStateAsync(instanceId, cancellationToken).ConfigureAwait(false) is { Status: OrchestrationStatus.Suspended })
        {
            await client.ResumeWorkflowAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>The job first, so batches it starts from now on get the new share; then the batches already open.</remarks>
    public async Task SetParallelismAsync(string instanceId, int parallelism, int batchSize, CancellationToken cancellationToken)
    {
        await client.RaiseEventAsync(instanceId, ComputeJobWorkflow.ParallelismEvent, parallelism, cancellationToken).ConfigureAwait(false);
        var inner = ComputeJobWorkflow.Plan(parallelism, batchSize).Inner;
        await ForEachOpenBatchAsync(instanceId, s => s is OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.Suspended,
            id => client.RaiseEventAsync(id, ComputeJobWorkflow.ParallelismEvent, inner, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The job's termination is recursive, but it reaches the batches only once the engine has processed it; a
    /// batch still open is terminated directly too, and the answer is true only once every instance is terminal, so the
    /// caller purges nothing that still runs.</remarks>
    public async Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        var job = await client.GetWorkflowStateAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (job is { IsTerminal: false })
        {
            await TerminateOneAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
        }

        var open = 0;
        await ForEachOpenBatchAsync(instanceId, s => !IsTerminal(s), async id =>
        {
            open++;
            await TerminateOneAsync(id, reason, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return job is null or { IsTerminal: true } && open == 0;
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

    private static bool IsTerminal(OrchestrationStatus status) =>
        status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

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

    private async Task ForEachOpenBatchAsync(string instanceId, Func<OrchestrationStatus, bool> select, Func<string, Task> action, CancellationToken cancellationToken)
    {
        _finishedBatches.TryGetValue(instanceId, out var finished);
        for (var i = 0; ; i++)
        {
            if (finished?.ContainsKey(i) == true)
            {
                continue;
            }

            var batch = ComputeJobWorkflow.BatchInstanceId(instanceId, i);
            var state = await client.GetWorkflowStateAsync(batch, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return;
            }

            if (select(state.Status))
            {
                await action(batch).ConfigureAwait(false);
            }
        }
    }
}
