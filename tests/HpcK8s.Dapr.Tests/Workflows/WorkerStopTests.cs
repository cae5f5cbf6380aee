using System.Diagnostics;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Testing.Interop;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>Stopping the worker: a disposal during a drain turns it into a hard stop and nothing keeps running.</summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class WorkerStopTests(InteropSidecarFixture sidecar)
{
    [InteropFact]
    public async Task DisposeDuringDrain_CancelsTheRunningActivityAndStopsReconnecting()
    {
        var activityStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var activityCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registry = new WorkflowRegistry()
            .RegisterActivity<int, int>("Block", async (context, _) =>
            {
                activityStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                    return 0;
                }
                catch (OperationCanceledException)
                {
                    activityCancelled.TrySetResult();
                    throw;
                }
            })
            .RegisterWorkflow<int, int>("Blocker", (context, _) => context.CallActivityAsync<int>("Block", 1));
        var options = new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint };
        var worker = new DaprWorkflowWorker(registry, options);
        await worker.StartAsync(CancellationToken.None);
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await worker.WaitForStreamConnectedAsync(connect.Token);
        }

        using var client = new DaprWorkflowClient(options);
        await client.ScheduleNewWorkflowAsync("Blocker", "blocker-" + Guid.NewGuid().ToString("N")[..8], 0);
        await activityStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var drain = worker.StopAsync(CancellationToken.None); // waits for the activity, which never ends by itself
        await Task.Delay(200);
        Assert.False(drain.IsCompleted);

        var clock = Stopwatch.StartNew();
        await worker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await drain.WaitAsync(TimeSpan.FromSeconds(1));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.True(activityCancelled.Task.IsCompleted, "the running activity was cancelled by the hard stop");
        Assert.False(worker.IsStreamConnected);
        var opened = worker.Counters.StreamsOpened;
        await Task.Delay(1500);
        Assert.Equal(opened, worker.Counters.StreamsOpened);
    }
}
