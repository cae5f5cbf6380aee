using System.Diagnostics;
using Grpc.Core;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.History;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>
/// The client against a sidecar without <c>TaskHubSidecarService</c>: every operation falls back to the Dapr API's
/// <c>*WorkflowBeta1</c> call, maps to the same <see cref="DaprWorkflowState"/>, and the first Unimplemented is remembered.
/// </summary>
public sealed class Beta1FallbackTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private Beta1OnlySidecar _sidecar = null!;
    private DaprWorkflowClient _client = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await Beta1OnlySidecar.StartAsync();
        _client = new DaprWorkflowClient(new DaprWorkflowOptions { GrpcEndpoint = _sidecar.Endpoint });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Fact]
    public async Task Start_SendsNameInputAndComponent_AndGetReadsThePendingInstance()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-start", new { n = 3 });

        Assert.Equal("b1-start", id);
        var state = await _client.GetWorkflowStateAsync(id);
        Assert.NotNull(state);
        Assert.Equal("b1-start", state.InstanceId);
        Assert.Equal("Job", state.Name);
        Assert.Equal(OrchestrationStatus.Pending, state.Status);
        Assert.Equal("""{"n":3}""", state.Input);
        Assert.Null(state.Output);
        Assert.Null(state.CustomStatus);
        Assert.Null(state.Failure);
        Assert.InRange(state.CreatedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(DateTimeKind.Utc, state.CreatedAt.Kind);
        Assert.Equal(["StartWorkflowBeta1", "GetWorkflowBeta1"], _sidecar.Beta1Calls);
    }

    [Fact]
    public async Task Start_WithoutInput_ReadsBackAsNoInput()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-noinput");

        var state = await _client.GetWorkflowStateAsync(id);

        Assert.Equal("", _sidecar.Instance(id).Input); // daprd stores the empty bytes as ""
        Assert.Null(state?.Input);
    }

    [Fact]
    public async Task Start_WithoutInstanceId_UsesTheGeneratedId()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job");

        Assert.True(_sidecar.Exists(id));
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public async Task Start_At_SendsTheStartTimeOptionInRfc3339()
    {
        var at = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);

        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-later", startAt: at);

        Assert.Equal("2031-05-06T07:08:09.1234567Z", _sidecar.Service.StartOptions[id]["dapr.workflow.start_time"]);
        Assert.Equal(at, _sidecar.Instance(id).StartAt);
        Assert.Equal(OrchestrationStatus.Pending, (await _client.GetWorkflowStateAsync(id))?.Status);
    }

    [Fact]
    public async Task Start_RunningId_IsRefusedWithDaprdsError()
    {
        await _client.ScheduleNewWorkflowAsync("Job", "b1-dup");

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ScheduleNewWorkflowAsync("Job", "b1-dup"));

        Assert.Equal(StatusCode.Internal, error.StatusCode); // TaskHub would say AlreadyExists
        Assert.Contains("already exists", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RunningWithCustomStatus()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-custom", 1);
        _sidecar.Run(id, customStatus: """{"step":2}""");

        var state = await _client.GetWorkflowStateAsync(id);

        Assert.Equal(OrchestrationStatus.Running, state?.Status);
        Assert.Equal("""{"step":2}""", state?.CustomStatus);
        Assert.Equal(2, state?.ReadCustomStatusAs<Progress>()?.Step);
    }

    [Fact]
    public async Task Get_Completed_ReadsTheOutput()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-done", 1);
        _sidecar.Run(id);
        _sidecar.Complete(id, "42");

        var state = await _client.GetWorkflowStateAsync(id);

        Assert.NotNull(state);
        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.True(state.IsTerminal);
        Assert.Equal(42, state.ReadOutputAs<int>());
        Assert.True(state.LastUpdatedAt >= state.CreatedAt);
    }

    [Fact]
    public async Task Get_Failed_ReadsTheFailurePropertiesAndNoOutput()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-failed");
        _sidecar.Run(id);
        _sidecar.Fail(id, "System.InvalidOperationException", "boom", "   at Job.RunAsync()");

        var state = await _client.GetWorkflowStateAsync(id);

        Assert.NotNull(state);
        Assert.Equal(OrchestrationStatus.Failed, state.Status);
        Assert.Null(state.Output); // daprd hides the failure message durabletask-go stores as the output
        var failure = Assert.IsType<FailureDetails>(state.Failure);
        Assert.Equal("System.InvalidOperationException", failure.ErrorType);
        Assert.Equal("boom", failure.ErrorMessage);
        Assert.Equal("   at Job.RunAsync()", failure.StackTrace);
        Assert.Null(failure.InnerFailure); // Beta1 carries no inner failure
    }

    [Fact]
    public async Task Get_FailedWithoutStackTrace_HasANullStackTrace()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-failed-nostack");
        _sidecar.Fail(id, "E", "m", stackTrace: null);

        var failure = (await _client.GetWorkflowStateAsync(id))?.Failure;

        Assert.Equal(new FailureDetails("E", "m"), failure);
    }

    [Fact]
    public async Task Get_Stalled_ComesBackAsUnknownAndReadsAsStalled()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-stalled");
        _sidecar.Stall(id);

        var state = await _client.GetWorkflowStateAsync(id);

        Assert.Equal(OrchestrationStatus.Stalled, state?.Status);
    }

    [Fact]
    public async Task Get_MissingInstance_IsNull()
    {
        Assert.Null(await _client.GetWorkflowStateAsync("b1-nobody"));
        Assert.Null(await _client.GetWorkflowStateAsync("not:a-valid-create-id")); // only creation checks the id
    }

    [Fact]
    public async Task RaiseEvent_SendsNameAndRawJson()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-event");
        _sidecar.Run(id);

        await _client.RaiseEventAsync(id, "Approval", new { ok = true });
        await _client.RaiseEventAsync(id, "Ping");

        Assert.Equal([("Approval", """{"ok":true}"""), ("Ping", (string?)null)], _sidecar.Instance(id).Events);
    }

    [Fact]
    public async Task RaiseEvent_MissingInstance_Throws()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RaiseEventAsync("b1-nobody", "Approval"));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public async Task SuspendThenResume_PausesAndResumesTheInstance()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-pause");
        _sidecar.Run(id);

        await _client.SuspendWorkflowAsync(id, "maintenance");
        Assert.Equal(OrchestrationStatus.Suspended, (await _client.GetWorkflowStateAsync(id))?.Status);

        await _client.ResumeWorkflowAsync(id, "done");
        Assert.Equal(OrchestrationStatus.Running, (await _client.GetWorkflowStateAsync(id))?.Status);
        Assert.Contains("PauseWorkflowBeta1", _sidecar.Beta1Calls);
        Assert.Contains("ResumeWorkflowBeta1", _sidecar.Beta1Calls);
    }

    [Fact]
    public async Task Terminate_EndsTheInstanceAndItsChildren()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Parent", "b1-term");
        _sidecar.Run(id);
        _sidecar.AddChild(id, id + ":0000", "Child");

        await _client.TerminateWorkflowAsync(id);

        Assert.Equal(OrchestrationStatus.Terminated, (await _client.GetWorkflowStateAsync(id))?.Status);
        Assert.Equal(OrchestrationStatus.Terminated, (await _client.GetWorkflowStateAsync(id + ":0000"))?.Status);
    }

    [Fact]
    public async Task Terminate_WithOutputOrNotRecursive_IsNotSupported_AndNothingIsSent()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-term-unsupported");
        _sidecar.Run(id);

        var withOutput = await Assert.ThrowsAsync<NotSupportedException>(() => _client.TerminateWorkflowAsync(id, output: "stopped"));
        await Assert.ThrowsAsync<NotSupportedException>(() => _client.TerminateWorkflowAsync(id, recursive: false));

        Assert.Contains("output: null", withOutput.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TerminateWorkflowBeta1", _sidecar.Beta1Calls);
        Assert.Equal(OrchestrationStatus.Running, _sidecar.Instance(id).Status);
    }

    [Fact]
    public async Task Purge_FinishedInstance_DeletesItAndItsChildren_ThenReportsNothingDeleted()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Parent", "b1-purge");
        _sidecar.Run(id);
        _sidecar.AddChild(id, id + ":0000", "Child");
        _sidecar.Complete(id + ":0000", "1");
        _sidecar.Complete(id, "2");

        Assert.True(await _client.PurgeWorkflowAsync(id));

        Assert.Null(await _client.GetWorkflowStateAsync(id));
        Assert.Null(await _client.GetWorkflowStateAsync(id + ":0000"));
        Assert.False(await _client.PurgeWorkflowAsync(id));
        Assert.False(await _client.PurgeWorkflowAsync("b1-nobody"));
    }

    [Fact]
    public async Task Purge_RunningInstance_IsRefusedBySidecar()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-purge-running");
        _sidecar.Run(id);

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.PurgeWorkflowAsync(id));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.True(_sidecar.Exists(id));
    }

    [Fact]
    public async Task Purge_ForceOrNotRecursive_IsNotSupported()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-purge-force");
        _sidecar.Run(id);

        var force = await Assert.ThrowsAsync<NotSupportedException>(() => _client.PurgeWorkflowAsync(id, force: true));
        await Assert.ThrowsAsync<NotSupportedException>(() => _client.PurgeWorkflowAsync(id, recursive: false));

        Assert.Contains("force", force.Message, StringComparison.Ordinal);
        Assert.True(_sidecar.Exists(id));
        Assert.DoesNotContain("PurgeWorkflowBeta1", _sidecar.Beta1Calls);
    }

    [Fact]
    public async Task WaitForStart_PollsUntilTheFirstTurnRan()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-wait-start");
        using var timeout = new CancellationTokenSource(Timeout);

        var wait = _client.WaitForWorkflowStartAsync(id, timeout.Token);
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);
        _sidecar.Run(id);
        var state = await wait;

        Assert.Equal(OrchestrationStatus.Running, state?.Status);
        Assert.True(_sidecar.Beta1Calls.Count(c => c == "GetWorkflowBeta1") >= 2);
    }

    [Fact]
    public async Task WaitForCompletion_PollsUntilTerminal_AndReturnsTheOutput()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-wait-done");
        _sidecar.Run(id);
        using var timeout = new CancellationTokenSource(Timeout);
        var watch = Stopwatch.StartNew();

        var wait = _client.WaitForWorkflowCompletionAsync(id, timeout.Token);
        await Task.Delay(300);
        _sidecar.Complete(id, "\"done\"");
        var state = await wait;

        Assert.Equal(OrchestrationStatus.Completed, state?.Status);
        Assert.Equal("done", state?.ReadOutputAs<string>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Wait_MissingInstance_IsNull()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        Assert.Null(await _client.WaitForWorkflowStartAsync("b1-nobody", timeout.Token));
        Assert.Null(await _client.WaitForWorkflowCompletionAsync("b1-nobody", timeout.Token));
    }

    [Fact]
    public async Task Wait_Cancelled_Stops()
    {
        var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-wait-cancel");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.WaitForWorkflowCompletionAsync(id, timeout.Token));
    }

    [Fact]
    public async Task FirstUnimplemented_IsRemembered_PerOperation()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        for (var round = 0; round < 3; round++)
        {
            var id = await _client.ScheduleNewWorkflowAsync("Job", "b1-remember-" + round);
            await _client.GetWorkflowStateAsync(id);
            _sidecar.Run(id);
            await _client.WaitForWorkflowStartAsync(id, timeout.Token);
            await _client.RaiseEventAsync(id, "Go");
            await _client.SuspendWorkflowAsync(id);
            await _client.ResumeWorkflowAsync(id);
            await _client.TerminateWorkflowAsync(id);
            await _client.WaitForWorkflowCompletionAsync(id, timeout.Token);
            await _client.PurgeWorkflowAsync(id);
        }

        // Each TaskHub RPC was tried exactly once; the three rounds then went to Beta1 directly.
        string[] rpcs =
        [
            "StartInstance", "GetInstance", "WaitForInstanceStart", "WaitForInstanceCompletion", "RaiseEvent",
            "SuspendInstance", "ResumeInstance", "TerminateInstance", "PurgeInstances",
        ];
        Assert.Equal(rpcs.Order(), _sidecar.TaskHubCalls.Select(p => p["/TaskHubSidecarService/".Length..]).Order());
        Assert.Equal(3, _sidecar.Beta1Calls.Count(c => c == "StartWorkflowBeta1"));
        Assert.Equal(3, _sidecar.Beta1Calls.Count(c => c == "TerminateWorkflowBeta1"));
        Assert.Equal(3, _sidecar.Beta1Calls.Count(c => c == "PurgeWorkflowBeta1"));
    }

    [Fact]
    public async Task ApiToken_IsSentOnBeta1CallsToo()
    {
        using var client = new DaprWorkflowClient(new DaprWorkflowOptions { GrpcEndpoint = _sidecar.Endpoint, ApiToken = "secret" });

        var id = await client.ScheduleNewWorkflowAsync("Job", "b1-token");
        await client.GetWorkflowStateAsync(id);

        Assert.Equal(["secret", "secret"], _sidecar.Beta1ApiTokens);
    }

    private sealed record Progress(int Step);
}
