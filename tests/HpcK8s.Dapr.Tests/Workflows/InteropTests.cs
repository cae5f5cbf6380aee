using HpcK8s.Testing.Interop;
using System.Diagnostics;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>
/// Our worker and client against an engine we did not write: @microsoft/durabletask-js's in-memory backend served
/// over gRPC by tests/interop-sidecar.
/// </summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class InteropTests(InteropSidecarFixture sidecar, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ILoggerFactory _loggerFactory = TestOutputLoggerProvider.CreateFactory(output);

    public void Dispose() => _loggerFactory.Dispose();

    [InteropFact]
    public async Task FanOut_300Activities_SumsEveryResultAndReportsCustomStatus()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("FanOut", "fanout-" + Unique(), 300);
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(Enumerable.Range(1, 300).Sum(i => (long)i * i), state.ReadOutputAs<long>());
        Assert.Equal("""{"done":300}""", state.CustomStatus);
        Assert.True(worker.Counters.ActivityWorkItems >= 300);
        await AssertNoRejectedCompletionsAsync();
    }

    [InteropFact]
    public async Task ChildWorkflows_ResultsComeBackToTheParent()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("Parent", "parent-" + Unique(), 5);
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(Enumerable.Range(1, 5).Sum(i => ((long)i * i) + ((long)(i + 1) * (i + 1))), state.ReadOutputAs<long>());
        var child = await client.GetWorkflowStateAsync(id + ":0000"); // daprd's default child id for action 0, made explicit by the executor
        Assert.NotNull(child);
        Assert.Equal(OrchestrationStatus.Completed, child.Status);
    }

    [InteropFact]
    public async Task ChildWorkflowFailure_ReachesTheParentWithTheChildsDetails()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("ParentOfFailingChild", "pfail-" + Unique());
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal("System.InvalidOperationException|child says no", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task Timer_FiresAfterItsDelay_AndTheWorkflowClockAdvances()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();
        var watch = Stopwatch.StartNew();

        var id = await client.ScheduleNewWorkflowAsync("Timer", "timer-" + Unique(), 800);
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(750), $"completed after {watch.Elapsed}");
        var workflowElapsed = Assert.Single(state.ReadOutputAs<double[]>()!);
        Assert.True(workflowElapsed >= 750, $"CurrentUtcDateTime advanced {workflowElapsed} ms across the timer");
    }

    [InteropFact]
    public async Task ExternalEvent_RaisedByTheClient_CompletesTheWait()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("WaitEvent", "event-" + Unique());
        var started = await client.WaitForWorkflowStartAsync(id);
        Assert.NotNull(started);
        await EventuallyAsync(async () => (await client.GetWorkflowStateAsync(id))?.CustomStatus == "\"waiting\"");
        await client.RaiseEventAsync(id, "approval", "yes"); // names match case-insensitively
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal("approved:yes", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task ExternalEventWithTimeout_NoEvent_TimesOut()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("WaitEventTimeout", "evtimeout-" + Unique(), 300);
        var state = await WaitAsync(client, id);

        Assert.Equal("timed out", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task ActivityFailure_RetriedWithTheSameTaskExecutionId_ThenSucceeds()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("Flaky", "flaky-" + Unique());
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal("ok after 3 attempts", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task ActivityFailure_NotRetried_FailsTheWorkflowWithTheFullFailureChain()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("AlwaysFailing", "boom-" + Unique());
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Failed, state.Status);
        var failure = Assert.IsType<FailureDetails>(state.Failure);
        var activityFailure = Assert.IsType<FailureDetails>(failure.InnerFailure);
        Assert.Equal("System.InvalidOperationException", activityFailure.ErrorType);
        Assert.Equal("boom", activityFailure.ErrorMessage);
        Assert.Contains("InteropWorkflows", activityFailure.StackTrace, StringComparison.Ordinal); // the .NET stack trace survived the engine
        Assert.Equal("System.ArgumentException", activityFailure.InnerFailure?.ErrorType);
    }

    [InteropFact]
    public async Task Terminate_RunningWorkflow_EndsTerminatedWithTheOutput()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("WaitEvent", "term-" + Unique());
        await client.WaitForWorkflowStartAsync(id);
        await client.TerminateWorkflowAsync(id, "stopped by test");
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Terminated, state.Status);
        Assert.Equal("stopped by test", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task SuspendResume_EventWhileSuspended_IsHeldUntilResume()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("WaitEvent", "suspend-" + Unique());
        await client.WaitForWorkflowStartAsync(id);
        await client.SuspendWorkflowAsync(id, "maintenance");
        await client.RaiseEventAsync(id, "Approval", "later");
        await Task.Delay(500);
        var suspended = await client.GetWorkflowStateAsync(id);
        Assert.Equal(OrchestrationStatus.Suspended, suspended?.Status);

        await client.ResumeWorkflowAsync(id);
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal("approved:later", state.ReadOutputAs<string>());
    }

    [InteropFact]
    public async Task ContinueAsNew_FiveGenerations_EndsWithTheLastInput()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();

        var id = await client.ScheduleNewWorkflowAsync("Counter", "counter-" + Unique(), 0);
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(5, state.ReadOutputAs<int>());
        Assert.Equal("""{"generation":5}""", state.CustomStatus);
    }

    [InteropFact]
    public async Task Purge_CompletedWorkflow_IsGone()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();
        var id = await client.ScheduleNewWorkflowAsync("Parent", "purge-" + Unique(), 2);
        await WaitAsync(client, id);

        Assert.True(await client.PurgeWorkflowAsync(id));

        Assert.Null(await client.GetWorkflowStateAsync(id));
        Assert.Null(await client.GetWorkflowStateAsync(id + ":0000")); // recursive
        Assert.False(await client.PurgeWorkflowAsync(id));
    }

    [InteropFact]
    public async Task StreamDropped_MidJob_WorkerReconnectsAndTheJobCompletes()
    {
        await using var worker = await StartWorkerAsync(maxActivities: 4);
        using var client = CreateClient();
        var id = await client.ScheduleNewWorkflowAsync("SlowFanOut", "drop-" + Unique(), 40);
        await EventuallyAsync(() => Task.FromResult(worker.Counters.ActivityWorkItems >= 8));

        await sidecar.DropStreamsAsync();
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(Enumerable.Range(1, 40).Sum(), state.ReadOutputAs<long>());
        Assert.True(worker.Counters.Reconnects >= 1);
        Assert.True(worker.IsStreamConnected);
    }

    [InteropFact]
    public async Task WorkerKilled_MidJob_ASecondWorkerFinishesIt()
    {
        using var client = CreateClient();
        var first = await StartWorkerAsync(maxActivities: 4);
        var id = await client.ScheduleNewWorkflowAsync("SlowFanOut", "kill-" + Unique(), 40);
        await EventuallyAsync(() => Task.FromResult(first.Counters.ActivityWorkItems >= 8));

        await first.DisposeAsync(); // no drain: running activities are cancelled, the stream closes
        await using var second = await StartWorkerAsync();
        var state = await WaitAsync(client, id);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(Enumerable.Range(1, 40).Sum(), state.ReadOutputAs<long>());
        Assert.True(second.Counters.ActivityWorkItems > 0);
    }

    [InteropFact]
    public async Task StartInstance_RunningId_IsRefused()
    {
        await using var worker = await StartWorkerAsync();
        using var client = CreateClient();
        var id = await client.ScheduleNewWorkflowAsync("WaitEvent", "dup-" + Unique());

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.ScheduleNewWorkflowAsync("WaitEvent", id));

        Assert.Equal(Grpc.Core.StatusCode.AlreadyExists, error.StatusCode);
        await client.TerminateWorkflowAsync(id);
    }

    private async Task AssertNoRejectedCompletionsAsync()
    {
        var stats = await sidecar.GetStatsAsync();
        Assert.Equal(0, stats.GetProperty("rejectedCompletions").GetInt32());
        output.WriteLine("sidecar stats: " + stats);
    }

    private async Task<DaprWorkflowWorker> StartWorkerAsync(int maxActivities = 100)
    {
        var worker = new DaprWorkflowWorker(
            InteropWorkflows.CreateRegistry(),
            new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint, MaxConcurrentActivities = maxActivities, MaxConcurrentWorkflows = 8 },
            _loggerFactory);
        await worker.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(Timeout);
        await worker.WaitForStreamConnectedAsync(timeout.Token);
        return worker;
    }

    private DaprWorkflowClient CreateClient() => new(new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint });

    private async Task<DaprWorkflowState> WaitAsync(DaprWorkflowClient client, string id)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var state = await client.WaitForWorkflowCompletionAsync(id, timeout.Token);
            Assert.NotNull(state);
            output.WriteLine($"{id}: {state.Status} output={state.Output} failure={state.Failure}");
            return state;
        }
        catch (Grpc.Core.RpcException ex) when (timeout.IsCancellationRequested)
        {
            var current = await client.GetWorkflowStateAsync(id);
            throw new TimeoutException($"{id} did not finish within {Timeout}: {current}. Sidecar stderr: {sidecar.StandardError}", ex);
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Timeout)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];
}
