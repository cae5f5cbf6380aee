using HpcK8s.Core.Model;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Testing.Interop;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HpcK8s.Operator.Tests;

/// <summary>The reconciler against the in-test API server and the reference Durable Task sidecar with a worker attached,
/// driven the way the controller drives it.</summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class ReconcilerTests(InteropSidecarFixture sidecar, ITestOutputHelper output) : IAsyncLifetime
{
    private OperatorWorld _world = null!;

    public async Task InitializeAsync() => _world = await OperatorWorld.StartAsync(sidecar.Endpoint, output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [InteropFact]
    public async Task PiBbpJob_Succeeds_WithResultLedgerConditionsAndEvents()
    {
        var created = await _world.CreateJobAsync("bbp", new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "pi-bbp" },
            Parameters = new() { ["position"] = "1", ["count"] = "32" },
            Shards = 4,
            Ledger = new LedgerSpec { Replicas = 5 },
        });
        var reconciler = _world.CreateReconciler();

        var job = await _world.DriveAsync(reconciler, "bbp", j => j?.Status?.Phase == JobPhase.Succeeded);

        var status = job!.Status!;
        Assert.Equal("243f6a8885a308d313198a2e03707344", status.Result!.Value);
        Assert.StartsWith("sha256:", status.Result.Digest, StringComparison.Ordinal);
        Assert.Equal("4/4", status.Progress);
        Assert.Equal((4, 4, 0, 0), (status.Shards.Total, status.Shards.Succeeded, status.Shards.Failed, status.Shards.Running));
        Assert.Equal(job.Metadata.Generation, status.ObservedGeneration);
        var instanceId = ComputeJobReconciler.InstanceIdFor(created);
        Assert.Equal(instanceId, status.WorkflowInstanceId);
        Assert.Contains(ComputeJobResource.Finalizer, job.Metadata.Finalizers);
        Assert.NotNull(status.StartTime);
        Assert.NotNull(status.CompletionTime);
        Assert.True(status.CompletionTime >= status.StartTime);

        // The ledger the workflow recorded is the one status names, and its head is the one status anchors.
        Assert.Equal(instanceId, status.Ledger!.Id);
        var head = await _world.Ledger.GetHeadAsync(instanceId);
        Assert.Equal(head.Height, status.Ledger.Height);
        Assert.Equal(head.Hash.ToString(), status.Ledger.Head);
        Assert.Equal(5, status.Ledger.Replicas);
        // The workers' replicated store keeps that many replicas of this ledger (read from the job's workflow input).
        var replicas = _world.Worker.Services.GetRequiredService<ILedgerReplicaCountProvider>();
        Assert.Equal(5, await replicas.GetReplicaCountAsync(instanceId, CancellationToken.None));
        Assert.Equal(3, await replicas.GetReplicaCountAsync("some-other-ledger", CancellationToken.None));

        Assert.Equal("True", Condition(status, ComputeJobConditions.Ready).Status);
        Assert.Equal((ComputeJobConditions.Completed, "True"), (Condition(status, ComputeJobConditions.Complete).Reason, Condition(status, ComputeJobConditions.Complete).Status));
        Assert.Equal("False", Condition(status, ComputeJobConditions.Running).Status);
        Assert.DoesNotContain(status.Conditions, c => c.Type == ComputeJobConditions.Failed);

        var events = await _world.EventsAsync("bbp");
        Assert.Equal(["Started", ComputeJobConditions.Completed], events.Select(e => e.Reason));
        Assert.All(events, e => Assert.Equal(created.Metadata.Uid, e.InvolvedObject.Uid));

        // Reconciling a finished job again writes nothing.
        var writes = StatusWrites();
        await reconciler.ReconcileAsync(new(OperatorWorld.Namespace, "bbp"), CancellationToken.None);
        Assert.Equal(writes, StatusWrites());
    }

    [InteropFact]
    public async Task InvalidSpec_IsAFailedConditionAndNoWorkflowStarts()
    {
        // The schema cannot know that pi-digits has no "samples" parameter or that digits must be a number.
        var created = await _world.CreateJobAsync("bad", new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "pi-digits" },
            Parameters = new() { ["digits"] = "many", ["samples"] = "3" },
            Shards = 2,
        });
        var reconciler = _world.CreateReconciler();

        var job = await _world.DriveAsync(reconciler, "bad", j => j?.Status?.Phase == JobPhase.Failed);

        var ready = Condition(job!.Status!, ComputeJobConditions.Ready);
        Assert.Equal(("False", ComputeJobConditions.InvalidSpec), (ready.Status, ready.Reason));
        Assert.Contains("spec.parameters.digits", ready.Message, StringComparison.Ordinal);
        Assert.Contains("spec.parameters.samples", ready.Message, StringComparison.Ordinal);
        Assert.Equal(ComputeJobConditions.InvalidSpec, Condition(job.Status!, ComputeJobConditions.Failed).Reason);
        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(ComputeJobReconciler.InstanceIdFor(created)));
        var warning = Assert.Single(await _world.EventsAsync("bad"));
        Assert.Equal(("Warning", ComputeJobConditions.InvalidSpec), (warning.Type, warning.Reason));
    }

    [InteropFact]
    public async Task FailingShard_FailsTheJobWithShardRetriesExhausted()
    {
        await _world.CreateJobAsync("fails", new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "scripted" },
            Parameters = new() { ["alwaysFail"] = "2" },
            Shards = 4,
            Retry = new RetrySpec { MaxAttempts = 2, Backoff = "10ms" },
        });

        var job = await _world.DriveAsync(_world.CreateReconciler(), "fails", j => j?.Status?.Phase == JobPhase.Failed);

        var failed = Condition(job!.Status!, ComputeJobConditions.Failed);
        Assert.Equal(ComputeJobConditions.ShardRetriesExhausted, failed.Reason);
        Assert.Contains("shard 2", failed.Message, StringComparison.Ordinal);
        Assert.Null(job.Status!.Result);
        Assert.Equal(1, job.Status.Shards.Failed);
        Assert.Equal(2, _world.Kernel.AttemptsOf(2));
    }

    [InteropFact]
    public async Task DeleteMidRun_TerminatesAndPurgesTheWorkflow_ThenDropsTheFinalizer()
    {
        var created = await _world.CreateJobAsync("doomed", OperatorWorld.Scripted(shards: 8, sleepMs: 1000, parallelism: 2)); // 4 s: still mid-run when deleted on a loaded machine
        var reconciler = _world.CreateReconciler();
        await _world.DriveAsync(reconciler, "doomed", j => j?.Status?.Shards.Running > 0);
        var instanceId = ComputeJobReconciler.InstanceIdFor(created);
        Assert.NotNull(await _world.Workflows.GetWorkflowStateAsync(instanceId));

        await _world.DeleteJobAsync("doomed");
        var deleting = await _world.GetJobAsync("doomed");
        Assert.NotNull(deleting!.Metadata.DeletionTimestamp); // the finalizer holds it

        await _world.DriveAsync(reconciler, "doomed", j => j is null);

        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(instanceId));
        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(instanceId + "-b0"));
        Assert.True(_world.Kernel.Executions < 8, $"{_world.Kernel.Executions} shards ran: the job was not stopped");
    }

    [InteropFact]
    public async Task DeleteWhileSuspended_TerminatesAndPurgesJobAndBatches()
    {
        var created = await _world.CreateJobAsync("parked", OperatorWorld.Scripted(shards: 8, sleepMs: 200, parallelism: 1));
        var reconciler = _world.CreateReconciler();
        await _world.DriveAsync(reconciler, "parked", j => j?.Status?.Shards.Succeeded >= 1);
        await _world.UpdateSpecAsync("parked", s => s.Suspend = true);
        await _world.DriveAsync(reconciler, "parked", j => j?.Status?.Phase == JobPhase.Suspended);

        await _world.DeleteJobAsync("parked");
        await _world.DriveAsync(reconciler, "parked", j => j is null);

        var instanceId = ComputeJobReconciler.InstanceIdFor(created);
        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(instanceId));
        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(instanceId + "-b0"));
    }

    [InteropFact]
    public async Task Suspend_HoldsNewShards_AndResumeFinishes()
    {
        await _world.CreateJobAsync("pausable", OperatorWorld.Scripted(shards: 6, sleepMs: 300, parallelism: 1));
        var reconciler = _world.CreateReconciler();
        await _world.DriveAsync(reconciler, "pausable", j => j?.Status?.Shards.Succeeded >= 1);

        await _world.UpdateSpecAsync("pausable", s => s.Suspend = true);
        var suspended = await _world.DriveAsync(reconciler, "pausable", j => j?.Status?.Phase == JobPhase.Suspended);
        Assert.Equal(("True", ComputeJobConditions.SuspendedBySpec), (Condition(suspended!.Status!, ComputeJobConditions.Suspended).Status, Condition(suspended.Status!, ComputeJobConditions.Suspended).Reason));
        Assert.Equal(OrchestrationStatus.Suspended, (await _world.Workflows.GetWorkflowStateAsync(suspended.Status!.WorkflowInstanceId!))!.Status);
        // A shard already dispatched may still finish; none starts after it.
        await Task.Delay(400);
        var executions = _world.Kernel.Executions;
        await Task.Delay(1000);
        Assert.Equal(executions, _world.Kernel.Executions);

        await _world.UpdateSpecAsync("pausable", s => s.Suspend = false);
        var done = await _world.DriveAsync(reconciler, "pausable", j => j?.Status?.Phase == JobPhase.Succeeded);
        Assert.Equal("False", Condition(done!.Status!, ComputeJobConditions.Suspended).Status);
        Assert.Equal(6, done.Status!.Shards.Succeeded);
        var reasons = (await _world.EventsAsync("pausable")).Select(e => e.Reason).ToList();
        Assert.Equal(["Started", ComputeJobConditions.Suspended, ComputeJobConditions.Resumed, ComputeJobConditions.Completed], reasons);
    }

    [InteropFact]
    public async Task ParallelismRaisedMidRun_TakesEffectInTheRunningBatch()
    {
        await _world.CreateJobAsync("widen", OperatorWorld.Scripted(shards: 12, sleepMs: 250, parallelism: 1));
        var reconciler = _world.CreateReconciler();
        await _world.DriveAsync(reconciler, "widen", j => j?.Status?.Shards.Succeeded >= 1);
        Assert.Equal(1, _world.Kernel.MaxConcurrent);

        await _world.UpdateSpecAsync("widen", s => s.Parallelism = 4);
        var done = await _world.DriveAsync(reconciler, "widen", j => j?.Status?.Phase == JobPhase.Succeeded);

        Assert.Equal(4, _world.Kernel.MaxConcurrent);
        Assert.Equal(12, done!.Status!.Shards.Succeeded);
    }

    [InteropFact]
    public async Task CreatedSuspended_StartsNothingUntilResumed()
    {
        var spec = OperatorWorld.Scripted(shards: 2, sleepMs: 1, parallelism: 2);
        spec.Suspend = true;
        var created = await _world.CreateJobAsync("held", spec);
        var reconciler = _world.CreateReconciler();

        var held = await _world.DriveAsync(reconciler, "held", j => j?.Status?.Phase == JobPhase.Suspended);
        Assert.Null(held!.Status!.StartTime);
        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(ComputeJobReconciler.InstanceIdFor(created)));

        await _world.UpdateSpecAsync("held", s => s.Suspend = false);
        var done = await _world.DriveAsync(reconciler, "held", j => j?.Status?.Phase == JobPhase.Succeeded);
        Assert.NotNull(done!.Status!.StartTime);
    }

    [InteropFact]
    public async Task Deadline_FailsTheJobWithDeadlineExceeded_EvenWhileSuspended()
    {
        var spec = OperatorWorld.Scripted(shards: 4, sleepMs: 300, parallelism: 1);
        spec.ActiveDeadlineSeconds = 2;
        await _world.CreateJobAsync("late", spec);
        var reconciler = _world.CreateReconciler();
        await _world.DriveAsync(reconciler, "late", j => j?.Status?.Phase == JobPhase.Running);
        // Suspended, the workflow's own deadline timer cannot fire: the operator's check must end it.
        await _world.UpdateSpecAsync("late", s => s.Suspend = true);

        var job = await _world.DriveAsync(reconciler, "late", j => j?.Status?.Phase == JobPhase.Failed);

        var failed = Condition(job!.Status!, ComputeJobConditions.Failed);
        Assert.Equal(ComputeJobConditions.DeadlineExceeded, failed.Reason);
        var state = await _world.Workflows.GetWorkflowStateAsync(job.Status!.WorkflowInstanceId!);
        Assert.Equal(OrchestrationStatus.Terminated, state!.Status);
        Assert.InRange(job.Status.CompletionTime!.Value - job.Status.StartTime!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6));
    }

    [InteropFact]
    public async Task ConflictingWrites_AreRetried_AndTheJobStillSucceeds()
    {
        await _world.CreateJobAsync("contended", OperatorWorld.Scripted(shards: 3, sleepMs: 1, parallelism: 3));
        var reconciler = _world.CreateReconciler();
        // The finalizer write and the first status write both meet a 409.
        _world.Api.FailNextWrite(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");

        var job = await _world.DriveAsync(reconciler, "contended", j => j?.Status?.Phase == JobPhase.Succeeded);

        Assert.Equal("3/3", job!.Status!.Progress);
        Assert.Single(await _world.EventsAsync("contended"), e => e.Reason == "Started");
    }

    [InteropFact]
    public async Task NewReconcilerMidJob_ResumesTheSameWorkflow()
    {
        var created = await _world.CreateJobAsync("restart", OperatorWorld.Scripted(shards: 6, sleepMs: 200, parallelism: 2));
        await _world.DriveAsync(_world.CreateReconciler(), "restart", j => j?.Status?.Shards.Succeeded >= 2);
        var before = (await _world.Workflows.GetWorkflowStateAsync(ComputeJobReconciler.InstanceIdFor(created)))!.CreatedAt;

        // A new operator process: no memory of anything, status says Running.
        var job = await _world.DriveAsync(_world.CreateReconciler(), "restart", j => j?.Status?.Phase == JobPhase.Succeeded);

        Assert.Equal(before, (await _world.Workflows.GetWorkflowStateAsync(job!.Status!.WorkflowInstanceId!))!.CreatedAt);
        Assert.Equal(6, _world.Kernel.Executions);
        Assert.Single(await _world.EventsAsync("restart"), e => e.Reason == "Started");
    }

    [InteropFact]
    public async Task TtlSecondsAfterFinished_DeletesTheJobAndPurgesItsWorkflow()
    {
        var spec = OperatorWorld.Scripted(shards: 2, sleepMs: 1, parallelism: 2);
        spec.TtlSecondsAfterFinished = 1;
        var created = await _world.CreateJobAsync("brief", spec);

        await _world.DriveAsync(_world.CreateReconciler(), "brief", j => j is null, TimeSpan.FromSeconds(30));

        Assert.Null(await _world.Workflows.GetWorkflowStateAsync(ComputeJobReconciler.InstanceIdFor(created)));
    }

    private int StatusWrites() => _world.Api.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/status", StringComparison.Ordinal));

    private static JobCondition Condition(ComputeJobStatus status, string type) =>
        status.Conditions.Find(c => c.Type == type) ?? throw new Xunit.Sdk.XunitException($"no {type} condition in [{string.Join(", ", status.Conditions.Select(c => c.Type))}]");
}
