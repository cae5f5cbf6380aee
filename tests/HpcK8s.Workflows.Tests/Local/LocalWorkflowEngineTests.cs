using System.Collections.Concurrent;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Workflows.Tests.Local;

public sealed class LocalWorkflowEngineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("hpck8s-engine-").FullName;
    private readonly ConcurrentDictionary<int, int> _runs = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LocalWorkflowEngine Start(WorkflowRegistry registry, int workers = 2) =>
        LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = _dir, Workers = workers, PollInterval = TimeSpan.FromMilliseconds(20) });

    private LocalWorkflowClient Client() => new(_dir);

    private async Task<WorkflowInstanceState> RunToEndAsync(WorkflowRegistry registry, string name, object? input, string id = "wf")
    {
        await using var engine = Start(registry);
        using var client = Client();
        client.StartWorkflow(name, id, input);
        using var cts = new CancellationTokenSource(Timeout);
        return await client.WaitForCompletionAsync(id, TimeSpan.FromMilliseconds(10), cts.Token);
    }

    private WorkflowRegistry Squares() => new WorkflowRegistry()
        .RegisterActivity<int, int>("Square", (_, x) =>
        {
            _runs.AddOrUpdate(x, 1, (_, n) => n + 1);
            return Task.FromResult(x * x);
        })
        .RegisterWorkflow<int, int>("SumOfSquares", async (context, n) =>
        {
            var results = await Task.WhenAll(Enumerable.Range(1, n).Select(i => context.CallActivityAsync<int>("Square", i)));
            return results.Sum();
        });

    [Fact]
    public async Task FanOut_ManyActivities_CompletesWithSum()
    {
        var state = await RunToEndAsync(Squares(), "SumOfSquares", 300);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(Enumerable.Range(1, 300).Sum(i => i * i), WorkflowJson.Deserialize<int>(state.Output));
        Assert.All(Enumerable.Range(1, 300), i => Assert.Equal(1, _runs[i]));
    }

    [Fact]
    public async Task History_IsInSqlite_AndFollowsDaprShape()
    {
        await RunToEndAsync(Squares(), "SumOfSquares", 3);
        using var client = Client();
        var history = client.GetHistory("wf");

        Assert.IsType<WorkflowStartedEvent>(history[0]);
        Assert.IsType<ExecutionStartedEvent>(history[1]);
        var scheduled = history.OfType<TaskScheduledEvent>().ToList();
        Assert.Equal([0, 1, 2], scheduled.Select(e => e.EventId));
        Assert.All(history.OfType<TaskCompletedEvent>(), e => Assert.Equal(HistoryEvent.NoEventId, e.EventId));
        Assert.Equal([0, 1, 2], history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).Order());
        var completed = Assert.IsType<ExecutionCompletedEvent>(history[^1]);
        Assert.Equal(OrchestrationStatus.Completed, completed.Status);
        Assert.True(File.Exists(LocalEngineOptions.DatabasePath(_dir)));
    }

    [Fact]
    public async Task History_TurnsWriteFewRows_AndReadBackEventByEvent()
    {
        await RunToEndAsync(Squares(), "SumOfSquares", 300);
        using var client = Client();
        var history = client.GetHistory("wf");

        // 300 TaskScheduled of one turn share rows (64 events each at most); reading gives every event in order.
        Assert.Equal(Enumerable.Range(0, 300), history.OfType<TaskScheduledEvent>().Select(e => e.EventId));
        Assert.Equal(300, history.OfType<TaskCompletedEvent>().Count());
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={LocalEngineOptions.DatabasePath(_dir)};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM history WHERE instance_id = 'wf'";
        Assert.InRange((long)count.ExecuteScalar()!, 1, history.Count / 4);
    }

    [Fact]
    public async Task ChildWorkflows_ReturnResultsToParent()
    {
        var registry = Squares().RegisterWorkflow<int, int>("Parent", async (context, n) =>
        {
            var children = Enumerable.Range(1, n).Select(i => context.CallChildWorkflowAsync<int>("SumOfSquares", i, new ChildWorkflowTaskOptions($"{context.InstanceId}-c{i}")));
            return (await Task.WhenAll(children)).Sum();
        });

        var state = await RunToEndAsync(registry, "Parent", 5);

        Assert.Equal(1 + 5 + 14 + 30 + 55, WorkflowJson.Deserialize<int>(state.Output));
        using var client = Client();
        Assert.Equal(5, client.ListInstances("wf").Count);
        Assert.All(client.ListInstances("wf"), c => Assert.Equal(OrchestrationStatus.Completed, c.Status));
    }

    [Fact]
    public async Task ChildFailure_SurfacesInParentAsTaskFailed()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, int>("Broken", (_, _) => throw new InvalidOperationException("child broke"))
            .RegisterWorkflow<int, string>("Parent", async (context, _) =>
            {
                try
                {
                    await context.CallChildWorkflowAsync<int>("Broken", 1, new ChildWorkflowTaskOptions("child"));
                    return "no error";
                }
                catch (WorkflowTaskFailedException e)
                {
                    return e.FailureDetails.ErrorMessage;
                }
            });

        var state = await RunToEndAsync(registry, "Parent", 0);

        Assert.Equal("child broke", WorkflowJson.Deserialize<string>(state.Output));
    }

    [Fact]
    public async Task Timer_FiresAfterItsTime()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, double>("Sleeper", async (context, ms) =>
        {
            var start = context.CurrentUtcDateTime;
            await context.CreateTimer(TimeSpan.FromMilliseconds(ms));
            return (context.CurrentUtcDateTime - start).TotalMilliseconds;
        });

        var state = await RunToEndAsync(registry, "Sleeper", 300);

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.True(WorkflowJson.Deserialize<double>(state.Output) >= 300);
    }

    [Fact]
    public async Task ExternalEvent_FromClient_IsDelivered()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, string>("Waiter", async (context, _) =>
            await context.WaitForExternalEventAsync<string>("Approve"));
        await using var engine = Start(registry);
        using var client = Client();
        client.StartWorkflow("Waiter", "wf", 0);
        await WaitUntilAsync(() => client.GetInstance("wf")!.Status == OrchestrationStatus.Running);

        client.RaiseEvent("wf", "approve", "yes");

        using var cts = new CancellationTokenSource(Timeout);
        var state = await client.WaitForCompletionAsync("wf", TimeSpan.FromMilliseconds(10), cts.Token);
        Assert.Equal("yes", WorkflowJson.Deserialize<string>(state.Output));
    }

    [Fact]
    public async Task SuspendResume_HoldsEventsUntilResumed()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, string>("Waiter", async (context, _) =>
            await context.WaitForExternalEventAsync<string>("Go"));
        await using var engine = Start(registry);
        using var client = Client();
        client.StartWorkflow("Waiter", "wf", 0);
        await WaitUntilAsync(() => client.GetInstance("wf")!.Status == OrchestrationStatus.Running);

        client.Suspend("wf");
        await WaitUntilAsync(() => client.GetInstance("wf")!.Status == OrchestrationStatus.Suspended);
        client.RaiseEvent("wf", "Go", "now");
        await Task.Delay(200);
        Assert.Equal(OrchestrationStatus.Suspended, client.GetInstance("wf")!.Status);

        client.Resume("wf");
        using var cts = new CancellationTokenSource(Timeout);
        var state = await client.WaitForCompletionAsync("wf", TimeSpan.FromMilliseconds(10), cts.Token);
        Assert.Equal("now", WorkflowJson.Deserialize<string>(state.Output));
    }

    [Fact]
    public async Task Terminate_Recursive_EndsParentAndChildren()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, string>("Forever", async (context, _) => await context.WaitForExternalEventAsync<string>("never"))
            .RegisterWorkflow<int, string>("Parent", async (context, _) =>
                await context.CallChildWorkflowAsync<string>("Forever", 0, new ChildWorkflowTaskOptions("child")));
        await using var engine = Start(registry);
        using var client = Client();
        client.StartWorkflow("Parent", "wf", 0);
        await WaitUntilAsync(() => client.GetInstance("child")?.Status == OrchestrationStatus.Running);

        client.Terminate("wf", "stop");

        await WaitUntilAsync(() => client.GetInstance("wf")!.IsTerminal && client.GetInstance("child")!.IsTerminal);
        Assert.Equal(OrchestrationStatus.Terminated, client.GetInstance("wf")!.Status);
        Assert.Equal(OrchestrationStatus.Terminated, client.GetInstance("child")!.Status);
        Assert.Throws<InvalidOperationException>(() => client.RaiseEvent("wf", "x"));
        Assert.True(client.Purge("wf"));
        Assert.Null(client.GetInstance("child"));
    }

    [Fact]
    public async Task ContinueAsNew_RestartsWithNewInputAndFreshHistory()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, int>("Counter", async (context, n) =>
        {
            if (n < 5)
            {
                await context.CreateTimer(TimeSpan.FromMilliseconds(1));
                context.ContinueAsNew(n + 1);
                return -1;
            }

            return n;
        });

        var state = await RunToEndAsync(registry, "Counter", 0);

        Assert.Equal(5, WorkflowJson.Deserialize<int>(state.Output));
        using var client = Client();
        Assert.True(client.GetHistory("wf").Count < 8, "history was reset by continue-as-new");
    }

    [Fact]
    public async Task Restart_MidRun_ResumesWithoutRerunningFinishedActivities()
    {
        using var gate = new SemaphoreSlim(0);
        var registry = new WorkflowRegistry()
            .RegisterActivity<int, int>("Step", async (context, x) =>
            {
                _runs.AddOrUpdate(x, 1, (_, n) => n + 1);
                if (x >= 3)
                {
                    await gate.WaitAsync(context.CancellationToken);
                }

                return x;
            })
            .RegisterWorkflow<int, int>("Steps", async (context, n) =>
            {
                var sum = 0;
                for (var i = 1; i <= n; i++)
                {
                    sum += await context.CallActivityAsync<int>("Step", i);
                }

                return sum;
            });

        await using (var first = Start(registry))
        {
            using var client = Client();
            client.StartWorkflow("Steps", "wf", 5);
            await WaitUntilAsync(() => _runs.ContainsKey(3));
        }

        await using (var second = Start(registry))
        {
            Assert.Equal(1, second.RecoveredActivities);
            Assert.Equal(1, second.RecoveredInstances);
            gate.Release(10);
            using var client = Client();
            using var cts = new CancellationTokenSource(Timeout);
            var state = await client.WaitForCompletionAsync("wf", TimeSpan.FromMilliseconds(10), cts.Token);
            Assert.Equal(15, WorkflowJson.Deserialize<int>(state.Output));
        }

        Assert.Equal(1, _runs[1]);
        Assert.Equal(1, _runs[2]);
        Assert.Equal(2, _runs[3]); // in flight when the engine stopped: at least once
        Assert.Equal(1, _runs[4]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task CachedExecutions_OffEvictedOrOn_GiveTheSameResult(int maxCached)
    {
        var registry = Squares().RegisterWorkflow<int, int>("Parent", async (context, n) =>
        {
            var sum = 0;
            for (var i = 1; i <= n; i++)
            {
                sum += await context.CallChildWorkflowAsync<int>("SumOfSquares", i * 10, new ChildWorkflowTaskOptions($"{context.InstanceId}-c{i}"));
                sum += await context.CallActivityAsync<int>("Square", i);
                context.SetCustomStatus(new { i });
            }

            return sum;
        });
        var options = new LocalEngineOptions { StateDirectory = _dir, Workers = 2, PollInterval = TimeSpan.FromMilliseconds(20), MaxCachedExecutions = maxCached };
        await using var engine = LocalWorkflowEngine.Start(registry, options);
        using var client = Client();
        client.StartWorkflow("Parent", "wf", 4);
        using var cts = new CancellationTokenSource(Timeout);
        var state = await client.WaitForCompletionAsync("wf", TimeSpan.FromMilliseconds(10), cts.Token);

        var expected = Enumerable.Range(1, 4).Sum(i => Enumerable.Range(1, i * 10).Sum(x => x * x) + (i * i));
        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(expected, WorkflowJson.Deserialize<int>(state.Output));
        Assert.Equal("{\"i\":4}", state.CustomStatus);
        var turns = engine.Turns;
        switch (maxCached)
        {
            case 0:
                Assert.Equal(turns, engine.FullReplays);
                break;
            case 1:
                Assert.InRange(engine.FullReplays, 5, turns);
                break;
            default:
                Assert.Equal(5, engine.FullReplays); // one per instance: its first turn
                break;
        }
    }

    [Fact]
    public async Task ClientInTheEngineProcess_WakesTheEngineWithoutWaitingForThePoll()
    {
        var options = new LocalEngineOptions { StateDirectory = _dir, Workers = 2, PollInterval = TimeSpan.FromMinutes(5) };
        await using var engine = LocalWorkflowEngine.Start(Squares(), options);
        using var client = Client();
        await Task.Delay(50); // the engine's first wait has begun

        client.StartWorkflow("SumOfSquares", "wf", 3);
        using var cts = new CancellationTokenSource(Timeout);
        var state = await client.WaitForCompletionAsync("wf", TimeSpan.FromMilliseconds(10), cts.Token);

        Assert.Equal(14, WorkflowJson.Deserialize<int>(state.Output));
    }

    [Fact]
    public async Task SecondEngine_OnSameDirectory_IsRefusedWithReason()
    {
        await using var engine = Start(Squares());

        var error = Assert.Throws<InvalidOperationException>(() => Start(Squares()));

        Assert.Contains("another hpck8s engine is running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_WhileRunning_IsRefused()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<int, string>("Waiter", async (context, _) => await context.WaitForExternalEventAsync<string>("x"));
        await using var engine = Start(registry);
        using var client = Client();
        client.StartWorkflow("Waiter", "wf", 0);

        var error = Assert.Throws<InvalidOperationException>(() => client.StartWorkflow("Waiter", "wf", 0));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownWorkflow_FailsNonRetriably()
    {
        var state = await RunToEndAsync(new WorkflowRegistry(), "Nope", 0);

        Assert.Equal(OrchestrationStatus.Failed, state.Status);
        Assert.NotNull(state.Failure);
        Assert.True(state.Failure.IsNonRetriable);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
