using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class LifecycleTests
{
    private static WorkflowRegistry Counter(bool preserve) => new WorkflowRegistry()
        .RegisterWorkflow<int, int>("Counter", async (ctx, n) =>
        {
            await ctx.CallActivityAsync("Tick", n);
            if (n < 2)
            {
                ctx.ContinueAsNew(n + 1, preserve);
            }

            return n;
        })
        .RegisterActivity<int, object?>("Tick", (_, _) => Task.FromResult<object?>(null));

    [Fact]
    public void ContinueAsNew_WithUnconsumedEvents_CompletesContinuedAsNewWithCarryoverInArrivalOrder()
    {
        var sim = new HistorySimulator(Counter(preserve: true));
        sim.StartWorkflow("Counter", 0, "execution-1", sim.EventRaised("b", 1));

        var result = sim.Turn(sim.EventRaised("a", 2), sim.TaskCompleted(0, null), sim.EventRaised("b", 3));

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(1, completion.Id);
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, completion.Status);
        Assert.Equal("1", completion.Result);
        Assert.Equal(
            [("b", "1"), ("a", "2"), ("b", "3")],
            completion.CarryoverEvents.Cast<EventRaisedEvent>().Select(e => (e.Name, e.Input)));
    }

    [Fact]
    public void ContinueAsNew_WithoutPreserve_CarriesNothing()
    {
        var sim = new HistorySimulator(Counter(preserve: false));
        sim.StartWorkflow("Counter", 0, "execution-1", sim.EventRaised("b", 1));

        var result = sim.CompleteActivities();

        Assert.Empty(result.Completion!.CarryoverEvents);
    }

    [Fact]
    public void ContinueAsNew_NextExecution_RestartsIdsAndSeesCarryoverEvents()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, int>("Gen", async (ctx, n) =>
            {
                if (n == 0)
                {
                    await ctx.CallActivityAsync("Tick");
                    ctx.ContinueAsNew(1);
                    return 0;
                }

                return await ctx.WaitForExternalEventAsync<int>("kept") + n;
            })
            .RegisterActivity<object?, object?>("Tick", (_, _) => Task.FromResult<object?>(null));
        var first = new HistorySimulator(registry);
        first.StartWorkflow("Gen", 0);
        var completion = first.Turn(first.EventRaised("kept", 41), first.TaskCompleted(0, null)).Completion!;

        // daprd starts the next execution with a fresh history: WorkflowStarted, ExecutionStarted, carryovers.
        var second = new HistorySimulator(registry);
        var next = second.Turn([
            new ExecutionStartedEvent(-1, second.Now, "Gen", second.InstanceId, "execution-2", completion.Result, null),
            .. completion.CarryoverEvents]);

        var done = Assert.IsType<CompleteWorkflowAction>(Assert.Single(next.Actions));
        Assert.Equal(0, done.Id);
        Assert.Equal("42", done.Result);
    }

    [Fact]
    public void Terminate_WithPendingWork_RepliesOnlyTerminatedWithInput()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Long", async (ctx, _) =>
            {
                await ctx.CallActivityAsync("A");
                await ctx.CallActivityAsync("B");
                return 1;
            });
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Long");

        var result = sim.Turn(sim.TaskCompleted(0, null), new ExecutionTerminatedEvent(-1, sim.Now, "\"operator said so\"", false));

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(OrchestrationStatus.Terminated, completion.Status);
        Assert.Equal("\"operator said so\"", completion.Result);
    }

    [Fact]
    public void Suspend_BuffersEventsAndEmitsNothingUntilResumed()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Pausable", async (ctx, _) =>
            {
                var a = await ctx.CallActivityAsync<string>("A");
                var e = await ctx.WaitForExternalEventAsync<string>("E");
                var b = await ctx.CallActivityAsync<string>("B");
                return a + e + b;
            });
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Pausable");

        var suspended = sim.Turn(new ExecutionSuspendedEvent(-1, sim.Now, null));
        Assert.True(suspended.IsSuspended);
        Assert.Empty(suspended.Actions);

        var whileSuspended = sim.Turn(sim.TaskCompleted(0, "a"), sim.EventRaised("E", "e"));
        Assert.True(whileSuspended.IsSuspended);
        Assert.Empty(whileSuspended.Actions);

        var resumed = sim.Turn(new ExecutionResumedEvent(-1, sim.Now, null));
        Assert.False(resumed.IsSuspended);
        var scheduleB = Assert.IsType<ScheduleTaskAction>(Assert.Single(resumed.Actions));
        Assert.Equal(("B", 1), (scheduleB.Name, scheduleB.Id));

        Assert.Equal("\"aeb\"", sim.Turn(sim.TaskCompleted(1, "b")).Completion?.Result);
    }

    [Fact]
    public void Suspend_ThenTerminate_TerminatesImmediately()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("W", async (ctx, _) => await ctx.WaitForExternalEventAsync<int>("never"));
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("W");
        sim.Turn(new ExecutionSuspendedEvent(-1, sim.Now, null));

        var result = sim.Turn(new ExecutionTerminatedEvent(-1, sim.Now, null, false));

        Assert.Equal(OrchestrationStatus.Terminated, Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions)).Status);
    }
}
