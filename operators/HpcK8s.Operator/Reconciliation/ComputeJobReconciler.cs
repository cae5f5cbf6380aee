using System.Diagnostics;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using HpcK8s.Operator.Telemetry;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Reconciliation;

/// <summary>
/// Turns a ComputeJob into a Dapr workflow and its workflow's state back into the job's status.
/// </summary>
/// <remarks>
/// <para>Idempotent, level-based: every call re-reads the job from the API server and derives everything from it and the
/// workflow's state, so a crash, a lost leadership or a 409 between any two steps is repaired by the next call.</para>
/// <para>The workflow's instance id derives from the job's UID (<see cref="InstanceIdFor"/>): a restarted operator, or
/// a status write that never landed, finds the same workflow instead of starting a second one; a job deleted and
/// created again under the same name gets a new one.</para>
/// <para>Status is written only through the status subresource and only when it changed. Events mark transitions.</para>
/// </remarks>
[Rbac(ComputeJobResource.Group, ComputeJobResource.Plural, "get", "update", "delete")] // re-read; finalizer; TTL
[Rbac(ComputeJobResource.Group, ComputeJobResource.Plural + "/status", "update")]
[Rbac(ComputeJobResource.Group, ComputeJobResource.Plural + "/finalizers", "update")] // clusters that guard finalizers
[Rbac("", "events", "create")] // EventRecorder
internal sealed partial class ComputeJobReconciler(
    ComputeJobApi api,
    IJobWorkflows workflows,
    EventRecorder events,
    KernelRegistry kernels,
    IOptions<OperatorOptions> options,
    TimeProvider time,
    OperatorMetrics metrics,
    ILogger<ComputeJobReconciler> logger) : IReconciler
{
    /// <summary>The termination output the operator writes when a deadline ends a job; read back after a restart.</summary>
    internal const string DeadlineTermination = "hpck8s: " + ComputeJobConditions.DeadlineExceeded;

    /// <summary>The termination output the operator writes when a job is deleted.</summary>
    internal const string DeletionTermination = "hpck8s: ComputeJob deleted";

    private static readonly TimeSpan TerminationPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The workflow instance id of <paramref name="job"/>: <c>cj-</c> + its UID's 32 hex digits (35 characters, so batch
    /// ids <c>{id}-b{n}</c> stay within Dapr's 64).</summary>
    public static string InstanceIdFor(V1Alpha1ComputeJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var uid = job.Metadata.Uid;
        if (string.IsNullOrEmpty(uid))
        {
            throw new InvalidOperationException($"ComputeJob {job.Metadata.NamespaceProperty}/{job.Metadata.Name} has no metadata.uid; it was not read from an API server");
        }

        return "cj-" + uid.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var job = await api.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return ReconcileResult.Done;
        }

        var instanceId = InstanceIdFor(job);
        if (job.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(key, job, instanceId, cancellationToken).ConfigureAwait(false);
        }

        if (!(job.Metadata.Finalizers?.Contains(ComputeJobResource.Finalizer) ?? false))
        {
            job.Metadata.Finalizers = [.. job.Metadata.Finalizers ?? [], ComputeJobResource.Finalizer];
            job = await api.ReplaceAsync(job, cancellationToken).ConfigureAwait(false);
        }

        var before = job.Status;
        var status = JobStatuses.Copy(before);
        var now = time.GetUtcNow();
        status.ObservedGeneration = job.Metadata.Generation;
        var result = ReconcileResult.Done;
        if (JobPhase.IsTerminal(status.Phase))
        {
            // Finished: nothing changes any more but observedGeneration, and the TTL below.
        }
        else if (status.StartTime is null && Validate(job) is { Count: > 0 } errors)
        {
            // Validated until it starts only: a spec is immutable once accepted, and a running job must never be orphaned
            // because a newer operator's rules would have refused it.
            var message = string.Join("; ", errors.Select(e => e.ToString()));
            JobStatuses.SetCondition(status, ComputeJobConditions.Ready, false, ComputeJobConditions.InvalidSpec, message, now);
            Finish(status, failed: true, ComputeJobConditions.InvalidSpec, message, now);
            await NoteTransitionAsync(job, status, EventRecorder.Warning, ComputeJobConditions.InvalidSpec, message, cancellationToken).ConfigureAwait(false);
            InvalidSpec(logger, key.Namespace, key.Name, message);
        }
        else
        {
            JobStatuses.SetCondition(status, ComputeJobConditions.Ready, true, ComputeJobConditions.Accepted, "The spec is valid.", now);
            result = await DriveAsync(job, instanceId, status, now, cancellationToken).ConfigureAwait(false);
        }

        await WriteStatusAsync(job, before, status, cancellationToken).ConfigureAwait(false);
        return JobPhase.IsTerminal(status.Phase) ? await ExpireAsync(key, job, status, now, cancellationToken).ConfigureAwait(false) : result;
    }

    private async Task<ReconcileResult> DriveAsync(V1Alpha1ComputeJob job, string instanceId, ComputeJobStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spec = job.Spec;
        var input = new ComputeJobInput(job.Metadata.Name, spec, SpecDigest.Compute(spec), LedgerId: instanceId);
        status.WorkflowInstanceId = instanceId;
        status.Shards.Total = spec.Shards;
        status.Progress = $"{status.Shards.Succeeded}/{spec.Shards}";
        status.Ledger ??= new LedgerStatus();
        status.Ledger.Id = instanceId;
        status.Ledger.Replicas = spec.Ledger.Replicas;

        var state = await workflows.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            if (status.StartTime is not null)
            {
                // Started once, gone now: purged behind our back or a state store wiped. The ledger records are keyed, so
                // starting again under the same id repeats nothing that was recorded.
                await events.RecordAsync(job, EventRecorder.Warning, ComputeJobConditions.WorkflowLost,
                    $"Workflow {instanceId} no longer exists; starting it again", cancellationToken).ConfigureAwait(false);
                WorkflowLost(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, instanceId);
            }

            if (spec.Suspend)
            {
                // Like a Job created suspended: nothing starts until spec.suspend turns false.
                status.Phase = JobPhase.Suspended;
                SetSuspended(status, true, now);
                await NoteTransitionAsync(job, status, EventRecorder.Normal, ComputeJobConditions.Suspended, "Created suspended; no workflow started", cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Done;
            }

            await workflows.StartAsync(instanceId, input, cancellationToken).ConfigureAwait(false);
            status.StartTime ??= JobStatuses.Truncate(now);
            status.Phase = JobPhase.Running;
            JobStatuses.SetCondition(status, ComputeJobConditions.Running, true, ComputeJobConditions.WorkflowStarted, $"Workflow {instanceId} started.", now);
            if (status.Conditions.Exists(c => c.Type == ComputeJobConditions.Suspended))
            {
                SetSuspended(status, false, now);
            }

            await events.RecordAsync(job, EventRecorder.Normal, "Started",
                $"Started workflow {instanceId}: {spec.Shards} shard(s) of {spec.Kernel.DisplayName}", cancellationToken).ConfigureAwait(false);
            Started(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, instanceId, spec.Shards);
            return ReconcileResult.After(options.Value.PollInterval);
        }

        status.StartTime ??= JobStatuses.Truncate(new DateTimeOffset(DateTime.SpecifyKind(state.CreatedAt, DateTimeKind.Utc)));
        var deadline = Deadline(spec, status);
        if (!state.IsTerminal && deadline is { } due && now >= due)
        {
            await workflows.TerminateAsync(state, DeadlineTermination, cancellationToken).ConfigureAwait(false);
            var message = $"The job ran longer than spec.activeDeadlineSeconds ({spec.ActiveDeadlineSeconds}s); terminated.";
            Finish(status, failed: true, ComputeJobConditions.DeadlineExceeded, message, now);
            await NoteTransitionAsync(job, status, EventRecorder.Warning, ComputeJobConditions.DeadlineExceeded, message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (state.IsTerminal)
        {
            ApplyOutcome(status, state, now);
            var failed = status.Phase == JobPhase.Failed;
            var reason = failed ? status.Conditions.Find(c => c.Type == ComputeJobConditions.Failed)?.Reason ?? ComputeJobConditions.WorkflowFailed : ComputeJobConditions.Completed;
            var message = failed
                ? status.Conditions.Find(c => c.Type == ComputeJobConditions.Failed)?.Message ?? "failed"
                : $"Completed {status.Shards.Succeeded} shard(s); result {status.Result?.Digest}";
            await NoteTransitionAsync(job, status, failed ? EventRecorder.Warning : EventRecorder.Normal, reason, message, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var progress = await workflows.GetBatchProgressAsync(instanceId, input, cancellationToken).ConfigureAwait(false)
            ?? state.ReadCustomStatusAs<JobProgress>();
        if (progress is not null)
        {
            status.Shards.Succeeded = progress.Succeeded;
            status.Shards.Failed = progress.Failed;
            status.Shards.Running = progress.Running;
            status.Progress = $"{progress.Succeeded}/{spec.Shards}";
        }

        if (job.Status?.ObservedGeneration is { } observed && observed != job.Metadata.Generation)
        {
            // The spec changed since the last look; of what may change on a running job, parallelism needs telling.
            await workflows.SetParallelismAsync(instanceId, spec.EffectiveParallelism, input.BatchSize, cancellationToken).ConfigureAwait(false);
        }

        if (spec.Suspend)
        {
            await workflows.SuspendAsync(state, "spec.suspend is true", cancellationToken).ConfigureAwait(false);
            status.Phase = JobPhase.Suspended;
        }
        else if (state.Status == OrchestrationStatus.Suspended || JobStatuses.IsTrue(status, ComputeJobConditions.Suspended))
        {
            await workflows.ResumeAsync(state, "spec.suspend is false", cancellationToken).ConfigureAwait(false);
            status.Phase = JobPhase.Running;
        }
        else
        {
            status.Phase = JobPhase.Running;
        }

        if (status.Phase == JobPhase.Suspended)
        {
            SetSuspended(status, true, now);
            await NoteTransitionAsync(job, status, EventRecorder.Normal, ComputeJobConditions.Suspended, "Suspended: no new shard starts; running shards finish", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var running = $"{status.Shards.Succeeded} of {spec.Shards} shard(s) done, {status.Shards.Running} running.";
            JobStatuses.SetCondition(status, ComputeJobConditions.Running, true, ComputeJobConditions.ShardsRunning, running, now);
            if (JobStatuses.IsTrue(status, ComputeJobConditions.Suspended))
            {
                SetSuspended(status, false, now);
                await events.RecordAsync(job, EventRecorder.Normal, ComputeJobConditions.Resumed, "Resumed", cancellationToken).ConfigureAwait(false);
            }
        }

        var poll = options.Value.PollInterval;
        return ReconcileResult.After(deadline is { } at && at - now < poll ? Max(at - now, TimeSpan.FromMilliseconds(10)) : poll);
    }

    private async Task<ReconcileResult> FinalizeAsync(ObjectKey key, V1Alpha1ComputeJob job, string instanceId, CancellationToken cancellationToken)
    {
        if (!(job.Metadata.Finalizers?.Contains(ComputeJobResource.Finalizer) ?? false))
        {
            return ReconcileResult.Done;
        }

        var state = await workflows.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (state is not null && !await workflows.TerminateAsync(state, DeletionTermination, cancellationToken).ConfigureAwait(false))
        {
            // Termination is asynchronous: purge once the job and all its batches report terminated.
            return ReconcileResult.After(TerminationPoll);
        }

        if (state is not null)
        {
            await workflows.PurgeAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }

        workflows.Forget(instanceId);
        job.Metadata.Finalizers = [.. job.Metadata.Finalizers.Where(f => f != ComputeJobResource.Finalizer)];
        await api.ReplaceAsync(job, cancellationToken).ConfigureAwait(false);
        Finalized(logger, key.Namespace, key.Name, instanceId, state is not null);
        return ReconcileResult.Done;
    }

    // spec.ttlSecondsAfterFinished: delete a finished job once its time is up, else look again then.
    private async Task<ReconcileResult> ExpireAsync(ObjectKey key, V1Alpha1ComputeJob job, ComputeJobStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (job.Spec.TtlSecondsAfterFinished is not { } ttl || status.CompletionTime is not { } done)
        {
            return ReconcileResult.Done;
        }

        var due = done.AddSeconds(ttl);
        if (now < due)
        {
            return ReconcileResult.After(due - now);
        }

        if (await api.DeleteAsync(key, job.Metadata.Uid, cancellationToken).ConfigureAwait(false))
        {
            Expired(logger, key.Namespace, key.Name, ttl);
        }

        return ReconcileResult.Done;
    }

    private IReadOnlyList<ValidationError> Validate(V1Alpha1ComputeJob job)
    {
        var core = new ComputeJob
        {
            Metadata = new JobMetadata { Name = job.Metadata.Name ?? "", Namespace = job.Metadata.NamespaceProperty },
            Spec = job.Spec,
        };
        return JobValidator.Validate(core, kernels);
    }

    private static void ApplyOutcome(ComputeJobStatus status, DaprWorkflowState state, DateTimeOffset now)
    {
        var finishedAt = JobStatuses.Truncate(new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedAt, DateTimeKind.Utc)));
        status.Shards.Running = 0;
        switch (state.Status)
        {
            case OrchestrationStatus.Completed when state.ReadOutputAs<ComputeJobOutput>() is { } output:
                status.Shards.Succeeded = output.Succeeded;
                status.Shards.Failed = output.Failed;
                status.Progress = $"{output.Succeeded}/{status.Shards.Total}";
                if (output.Ledger is { } head)
                {
                    status.Ledger ??= new LedgerStatus();
                    status.Ledger.Height = head.Height;
                    status.Ledger.Head = head.Head;
                }

                if (output.Phase == JobPhase.Succeeded)
                {
                    status.Result = new JobResultStatus { Value = JobStatuses.Shorten(output.Value ?? ""), Digest = output.Digest ?? "" };
                    Finish(status, failed: false, ComputeJobConditions.Completed, $"All {output.Succeeded} shard(s) succeeded.", now, finishedAt);
                }
                else
                {
                    Finish(status, failed: true, output.Reason ?? ComputeJobConditions.WorkflowFailed, output.Message ?? "The workflow reported a failure.", now, finishedAt);
                }

                break;
            case OrchestrationStatus.Terminated when state.Output?.Contains(DeadlineTermination, StringComparison.Ordinal) == true:
                Finish(status, failed: true, ComputeJobConditions.DeadlineExceeded, "The job ran longer than spec.activeDeadlineSeconds; terminated.", now, finishedAt);
                break;
            case OrchestrationStatus.Terminated or OrchestrationStatus.Canceled:
                Finish(status, failed: true, ComputeJobConditions.WorkflowFailed, $"Workflow {state.InstanceId} was terminated outside the operator ({state.Output ?? "no reason given"}).", now, finishedAt);
                break;
            default:
                Finish(status, failed: true, ComputeJobConditions.WorkflowFailed,
                    $"Workflow {state.InstanceId} failed: {state.Failure?.ErrorType}: {state.Failure?.ErrorMessage}", now, finishedAt);
                break;
        }
    }

    private static void Finish(ComputeJobStatus status, bool failed, string reason, string message, DateTimeOffset now, DateTimeOffset? at = null)
    {
        status.Phase = failed ? JobPhase.Failed : JobPhase.Succeeded;
        status.CompletionTime ??= at ?? JobStatuses.Truncate(now);
        status.Shards.Running = 0;
        JobStatuses.SetCondition(status, failed ? ComputeJobConditions.Failed : ComputeJobConditions.Complete, true, reason, message, now);
        if (status.Conditions.Exists(c => c.Type == ComputeJobConditions.Running))
        {
            JobStatuses.SetCondition(status, ComputeJobConditions.Running, false, reason, "The job finished.", now);
        }

        if (status.Conditions.Exists(c => c.Type == ComputeJobConditions.Suspended))
        {
            JobStatuses.SetCondition(status, ComputeJobConditions.Suspended, false, reason, "The job finished.", now);
        }
    }

    private static void SetSuspended(ComputeJobStatus status, bool suspended, DateTimeOffset now)
    {
        JobStatuses.SetCondition(status, ComputeJobConditions.Suspended, suspended,
            suspended ? ComputeJobConditions.SuspendedBySpec : ComputeJobConditions.Resumed,
            suspended ? "spec.suspend is true: no new shard starts." : "spec.suspend is false.", now);
        if (suspended && status.Conditions.Exists(c => c.Type == ComputeJobConditions.Running))
        {
            JobStatuses.SetCondition(status, ComputeJobConditions.Running, false, ComputeJobConditions.SuspendedBySpec, "Suspended.", now);
        }
    }

    // Counted from status.startTime, suspended time included (as the workflow's own durable timer counts).
    private static DateTimeOffset? Deadline(ComputeJobSpec spec, ComputeJobStatus status) =>
        spec.ActiveDeadlineSeconds is { } seconds && status.StartTime is { } start ? start.AddSeconds(seconds) : null;

    // One event per phase change: the status before this reconcile is what the API server has.
    private Task NoteTransitionAsync(V1Alpha1ComputeJob job, ComputeJobStatus status, string type, string reason, string message, CancellationToken cancellationToken) =>
        job.Status?.Phase == status.Phase ? Task.CompletedTask : events.RecordAsync(job, type, reason, message, cancellationToken);

    private async Task WriteStatusAsync(V1Alpha1ComputeJob job, ComputeJobStatus? before, ComputeJobStatus status, CancellationToken cancellationToken)
    {
        if (JobStatuses.Same(before, status))
        {
            return;
        }

        job.Status = status;
        var started = Stopwatch.GetTimestamp();
        await api.ReplaceStatusAsync(job, cancellationToken).ConfigureAwait(false);
        metrics.StatusWritten();
        if (before?.Phase != status.Phase)
        {
            PhaseChanged(logger, job.Metadata.NamespaceProperty, job.Metadata.Name, before?.Phase ?? "(none)", status.Phase, status.Progress, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(2001, LogLevel.Information, "ComputeJob {Namespace}/{Name}: started workflow {InstanceId} with {Shards} shard(s)")]
    private static partial void Started(ILogger logger, string? @namespace, string? name, string instanceId, int shards);

    [LoggerMessage(2002, LogLevel.Information, "ComputeJob {Namespace}/{Name}: {From} -> {To} ({Progress}); status written in {Milliseconds:0.0} ms")]
    private static partial void PhaseChanged(ILogger logger, string? @namespace, string? name, string from, string to, string? progress, double milliseconds);

    [LoggerMessage(2003, LogLevel.Warning, "ComputeJob {Namespace}/{Name}: workflow {InstanceId} is gone; starting it again")]
    private static partial void WorkflowLost(ILogger logger, string? @namespace, string? name, string instanceId);

    [LoggerMessage(2004, LogLevel.Information, "ComputeJob {Namespace}/{Name} deleted: workflow {InstanceId} terminated and purged ({Existed}), finalizer removed")]
    private static partial void Finalized(ILogger logger, string @namespace, string name, string instanceId, bool existed);

    [LoggerMessage(2006, LogLevel.Warning, "ComputeJob {Namespace}/{Name} has an invalid spec; no workflow started: {Message}")]
    private static partial void InvalidSpec(ILogger logger, string @namespace, string name, string message);

    [LoggerMessage(2005, LogLevel.Information, "ComputeJob {Namespace}/{Name} deleted {Ttl} s after it finished (spec.ttlSecondsAfterFinished)")]
    private static partial void Expired(ILogger logger, string @namespace, string name, long ttl);
}
