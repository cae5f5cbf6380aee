using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Workflows.Tests.Local;

/// <summary>Durable timers and external events outlive the engine that created or received them.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpck8s-restart-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LocalWorkflowEngine Start(WorkflowRegistry registry) =>
        LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = _dir, Workers = 1, PollInterval = TimeSpan.FromMilliseconds(20) });

    private static async Task<WorkflowInstanceState> WaitAsync(LocalWorkflowClient client, Func<WorkflowInstanceState, bool> done)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var state = client.GetInstance("wf");
            if (state is not null && done(state))
            {
                return state;
            }

            await Task.Delay(10, cts.Token);
        }
    }

    [Fact]
    public async Task Timer_CreatedBeforeRestart_FiresAfterIt()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, string>("Sleeper", async (context, _) =>
        {
            await context.CreateTimer(TimeSpan.FromMilliseconds(600));
            return "woke";
        });
        using var client = new LocalWorkflowClient(_dir);
        await using (Start(registry))
        {
            client.StartWorkflow("Sleeper", "wf", 0);
            await WaitAsync(client, s => s.Status == OrchestrationStatus.Running);
            Assert.Contains(client.GetHistory("wf"), e => e is TimerCreatedEvent);
        }

        await using (Start(registry))
        {
            var state = await WaitAsync(client, s => s.IsTerminal);
            Assert.Equal("woke", WorkflowJson.Deserialize<string>(state.Output));
        }
    }

    [Fact]
    public async Task Event_RaisedWhileEngineIsDown_IsDeliveredAfterRestart()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, string>("Waiter", async (context, _) =>
            await context.WaitForExternalEventAsync<string>("Go", TimeSpan.FromMinutes(5)));
        using var client = new LocalWorkflowClient(_dir);
        await using (Start(registry))
        {
            client.StartWorkflow("Waiter", "wf", 0);
            await WaitAsync(client, s => s.Status == OrchestrationStatus.Running);
        }

        client.RaiseEvent("wf", "Go", "while down");

        await using (Start(registry))
        {
            var state = await WaitAsync(client, s => s.IsTerminal);
            Assert.Equal("while down", WorkflowJson.Deserialize<string>(state.Output));
        }
    }

    [Fact]
    public async Task WorkflowCodeChangedBetweenRuns_FailsWithNonDeterminism()
    {
        WorkflowRegistry Version(string activity) => new WorkflowRegistry()
            .RegisterActivity<int, int>("A", (_, x) => Task.FromResult(x))
            .RegisterActivity<int, int>("B", (_, x) => Task.FromResult(x))
            .RegisterWorkflow<int, int>("Flow", async (context, _) =>
            {
                var first = await context.CallActivityAsync<int>(activity, 1);
                return first + await context.WaitForExternalEventAsync<int>("more");
            });
        using var client = new LocalWorkflowClient(_dir);
        await using (Start(Version("A")))
        {
            client.StartWorkflow("Flow", "wf", 0);
            await WaitAsync(client, _ => client.GetHistory("wf").Any(e => e is TaskCompletedEvent));
        }

        client.RaiseEvent("wf", "more", 2);

        await using (Start(Version("B")))
        {
            var state = await WaitAsync(client, s => s.IsTerminal);
            Assert.Equal(OrchestrationStatus.Failed, state.Status);
            Assert.Equal("NonDeterministicWorkflowError", state.Failure!.ErrorType);
            Assert.Contains("CallActivityAsync(\"A\")", state.Failure.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("CallActivityAsync(\"B\")", state.Failure.ErrorMessage, StringComparison.Ordinal);
            Assert.True(state.Failure.IsNonRetriable);
        }
    }

    [Fact]
    public async Task SuspendedJob_AcrossRestart_StartsNoActivityUntilResumed()
    {
        var runs = 0;
        using var firstMayFinish = new SemaphoreSlim(0);
        var registry = new WorkflowRegistry()
            .RegisterActivity<int, int>("Step", async (context, x) =>
            {
                Interlocked.Increment(ref runs);
                if (x == 0)
                {
                    await firstMayFinish.WaitAsync(context.CancellationToken);
                }

                return x;
            })
            .RegisterWorkflow<int, int>("Fan", async (context, n) =>
                (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Step", i)))).Sum());
        using var client = new LocalWorkflowClient(_dir);
        await using (Start(registry))
        {
            client.StartWorkflow("Fan", "wf", 5);
            await WaitAsync(client, _ => Volatile.Read(ref runs) >= 1);
            client.Suspend("wf");
            await WaitAsync(client, s => s.Status == OrchestrationStatus.Suspended);
        }

        var runsBeforeRestart = Volatile.Read(ref runs);
        await using (var engine = Start(registry))
        {
            Assert.Equal(OrchestrationStatus.Suspended, client.GetInstance("wf")!.Status);
            await Task.Delay(400);
            Assert.Equal(runsBeforeRestart, Volatile.Read(ref runs));

            firstMayFinish.Release(10);
            client.Resume("wf");
            var state = await WaitAsync(client, s => s.IsTerminal);
            Assert.Equal(0 + 1 + 2 + 3 + 4, WorkflowJson.Deserialize<int>(state.Output));
        }
    }
}
