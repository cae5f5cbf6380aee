using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class RetryTests
{
    private static readonly WorkflowRetryPolicy Policy = new(3, TimeSpan.FromSeconds(10), backoffCoefficient: 2);

    private static WorkflowRegistry Registry(WorkflowRetryPolicy policy) => new WorkflowRegistry()
        .RegisterWorkflow<object?, string>("Retrying", async (ctx, _) =>
        {
            try
            {
                return await ctx.CallActivityAsync<string>("Flaky", 1, new WorkflowTaskOptions(policy));
            }
            catch (WorkflowTaskFailedException ex)
            {
                return $"gave up: {ex.FailureDetails.ErrorMessage}";
            }
        });

    [Fact]
    public void CallActivity_FailsThenSucceeds_RetriesAfterDurableTimerWithSameTaskExecutionId()
    {
        var sim = new HistorySimulator(Registry(Policy));

        var schedule = Assert.IsType<ScheduleTaskAction>(Assert.Single(sim.StartWorkflow("Retrying").Actions));
        var afterFailure = sim.Turn(sim.TaskFailed(0, "transient"));

        var timer = Assert.IsType<CreateTimerAction>(Assert.Single(afterFailure.Actions));
        Assert.Equal(1, timer.Id);
        Assert.Equal(HistorySimulator.Start.AddSeconds(10), timer.FireAt);
        Assert.Equal(TimerOrigin.ActivityRetry(schedule.TaskExecutionId!), timer.Origin);

        var afterTimer = sim.FireNextTimer();
        var retry = Assert.IsType<ScheduleTaskAction>(Assert.Single(afterTimer.Actions));
        Assert.Equal(2, retry.Id);
        Assert.Equal(schedule.TaskExecutionId, retry.TaskExecutionId);
        Assert.Equal(schedule.Input, retry.Input);

        var done = sim.Turn(sim.TaskCompleted(2, "ok"));
        Assert.Equal("\"ok\"", done.Completion?.Result);
        Assert.Equal(3, done.Completion?.Id);
    }

    [Fact]
    public void CallActivity_AttemptsExhausted_ThrowsLastFailureIntoWorkflowAfterBackoff()
    {
        var sim = new HistorySimulator(Registry(Policy));
        sim.StartWorkflow("Retrying");

        sim.Turn(sim.TaskFailed(0, "one"));
        sim.FireNextTimer();
        var secondDelay = sim.Turn(sim.TaskFailed(2, "two"));
        Assert.Equal(sim.Now.AddSeconds(20), Assert.IsType<CreateTimerAction>(Assert.Single(secondDelay.Actions)).FireAt);
        sim.FireNextTimer();
        var end = sim.Turn(sim.TaskFailed(4, "three"));

        Assert.Equal("\"gave up: three\"", end.Completion?.Result);
        Assert.Equal(5, end.Completion?.Id);
    }

    [Fact]
    public void CallActivity_NonRetriableFailure_IsNotRetried()
    {
        var sim = new HistorySimulator(Registry(Policy));
        sim.StartWorkflow("Retrying");

        var end = sim.Turn(sim.TaskFailed(0, "fatal", nonRetriable: true));

        Assert.Equal("\"gave up: fatal\"", end.Completion?.Result);
    }

    [Fact]
    public void CallChildWorkflow_WithRetry_UsesChildRetryTimerOrigin()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Parent", async (ctx, _) =>
                await ctx.CallChildWorkflowAsync<int>("Child", null, new ChildWorkflowTaskOptions("kid", Policy)));
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Parent");

        var afterFailure = sim.Turn(sim.ChildFailed(0, "boom"));
        Assert.Equal(TimerOrigin.ChildWorkflowRetry("kid"), Assert.IsType<CreateTimerAction>(Assert.Single(afterFailure.Actions)).Origin);
        var retry = Assert.IsType<CreateChildWorkflowAction>(Assert.Single(sim.FireNextTimer().Actions));
        Assert.Equal(("kid", 2), (retry.InstanceId, retry.Id));

        Assert.Equal("9", sim.Turn(sim.ChildCompleted(2, 9)).Completion?.Result);
    }

    [Fact]
    public void RetryPolicy_GetDelay_AppliesBackoffAndCap()
    {
        var policy = new WorkflowRetryPolicy(10, TimeSpan.FromSeconds(1), 3, maxRetryInterval: TimeSpan.FromSeconds(20));

        Assert.Equal(
            [1, 3, 9, 20, 20],
            Enumerable.Range(1, 5).Select(a => policy.GetDelay(a).TotalSeconds));
    }
}
