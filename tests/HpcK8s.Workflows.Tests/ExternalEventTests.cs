using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class ExternalEventTests
{
    private static WorkflowRegistry TwoApprovals() => new WorkflowRegistry()
        .RegisterWorkflow<object?, int[]>("Approve", async (ctx, _) =>
        {
            await ctx.CallActivityAsync("Prepare");
            var first = await ctx.WaitForExternalEventAsync<int>("Approval");
            var second = await ctx.WaitForExternalEventAsync<int>("approval");
            return [first, second];
        })
        .RegisterActivity<object?, object?>("Prepare", (_, _) => Task.FromResult<object?>(null));

    [Fact]
    public void WaitForExternalEvent_EventsBeforeTheWait_AreBufferedAndTakenFifoCaseInsensitively()
    {
        var sim = new HistorySimulator(TwoApprovals());

        sim.StartWorkflow("Approve", null, "execution-1", sim.EventRaised("APPROVAL", 1), sim.EventRaised("approval", 2));
        Assert.Null(sim.Last.Completion);
        var result = sim.CompleteActivities();

        Assert.Equal("[1,2]", result.Completion?.Result);
    }

    [Fact]
    public void WaitForExternalEvent_EventsAfterTheWait_ResumeTheWorkflowInOrder()
    {
        var sim = new HistorySimulator(TwoApprovals());
        sim.StartWorkflow("Approve");
        sim.CompleteActivities();

        var afterFirst = sim.Turn(sim.EventRaised("Approval", 10));
        Assert.Empty(afterFirst.Actions);
        var afterSecond = sim.Turn(sim.EventRaised("aPPROVAL", 20), sim.EventRaised("Approval", 30));

        Assert.Equal("[10,20]", afterSecond.Completion?.Result);
    }

    [Fact]
    public void WaitForExternalEvent_WithTimeoutAndNoEvent_TimerWithEventOriginFiresAndWaitIsCancelled()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Wait", async (ctx, _) =>
            {
                try
                {
                    return await ctx.WaitForExternalEventAsync<string>("Go", TimeSpan.FromMinutes(30));
                }
                catch (TaskCanceledException)
                {
                    return "timed out";
                }
            });
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("Wait");
        var timer = Assert.IsType<CreateTimerAction>(Assert.Single(first.Actions));
        Assert.Equal(HistorySimulator.Start.AddMinutes(30), timer.FireAt);
        Assert.Equal("Go", timer.Name);
        Assert.Equal(TimerOrigin.ExternalEvent("Go"), timer.Origin);

        var second = sim.FireNextTimer();
        Assert.Equal("\"timed out\"", second.Completion?.Result);
    }

    [Fact]
    public void WaitForExternalEvent_WithTimeoutAndEventFirst_ReturnsEventAndLateTimerIsHarmless()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Wait", async (ctx, _) =>
            {
                var value = await ctx.WaitForExternalEventAsync<string>("Go", TimeSpan.FromMinutes(30));
                await ctx.CallActivityAsync("After");
                return value;
            });
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Wait");

        var second = sim.Turn(sim.EventRaised("go", "payload"));
        Assert.Equal("After", Assert.IsType<ScheduleTaskAction>(Assert.Single(second.Actions)).Name);

        var third = sim.FireNextTimer();
        Assert.Empty(third.Actions);
        var last = sim.Turn(sim.TaskCompleted(1, null));
        Assert.Equal("\"payload\"", last.Completion?.Result);
    }

    [Fact]
    public void WaitForExternalEvent_WithTimeoutAndBufferedEvent_CreatesNoTimer()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Wait", async (ctx, _) =>
            {
                await ctx.CallActivityAsync("First");
                return await ctx.WaitForExternalEventAsync<int>("Go", TimeSpan.FromSeconds(5));
            });
        var sim = new HistorySimulator(registry);

        sim.StartWorkflow("Wait", null, "execution-1", sim.EventRaised("Go", 5));
        var result = sim.Turn(sim.TaskCompleted(0, null));

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(1, completion.Id);
        Assert.Equal("5", completion.Result);
    }

    [Fact]
    public void WaitForExternalEvent_WithTimeoutAndEventInSameTurn_EventWinsAfterTimerWasCreated()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Wait", async (ctx, _) => await ctx.WaitForExternalEventAsync<int>("Go", TimeSpan.FromSeconds(5)));
        var sim = new HistorySimulator(registry);

        var result = sim.StartWorkflow("Wait", null, "execution-1", sim.EventRaised("Go", 5));

        Assert.Equal([0, 1], result.Actions.Select(a => a.Id));
        Assert.IsType<CreateTimerAction>(result.Actions[0]);
        Assert.Equal("5", result.Completion?.Result);
    }

    [Fact]
    public void WaitForExternalEvent_Indefinite_EmitsNoTimer()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Wait", async (ctx, _) => await ctx.WaitForExternalEventAsync<int>("Go", timeout: null));
        var sim = new HistorySimulator(registry);

        Assert.Empty(sim.StartWorkflow("Wait").Actions);
        Assert.Equal("3", sim.Turn(sim.EventRaised("Go", 3)).Completion?.Result);
    }
}
