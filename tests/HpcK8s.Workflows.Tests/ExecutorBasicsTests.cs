using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class ExecutorBasicsTests
{
    [Fact]
    public void Execute_SingleActivity_SchedulesThenCompletesWithResult()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<string, string>("Hello", async (ctx, name) => await ctx.CallActivityAsync<string>("Greet", name))
            .RegisterActivity<string, string>("Greet", (_, name) => Task.FromResult($"hello {name}"));
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("Hello", "ada");

        var schedule = Assert.IsType<ScheduleTaskAction>(Assert.Single(first.Actions));
        Assert.Equal(0, schedule.Id);
        Assert.Equal("Greet", schedule.Name);
        Assert.Equal("\"ada\"", schedule.Input);
        Assert.False(string.IsNullOrEmpty(schedule.TaskExecutionId));
        Assert.Null(first.Completion);

        var second = sim.CompleteActivities();

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(second.Actions));
        Assert.Equal(1, completion.Id);
        Assert.Equal(OrchestrationStatus.Completed, completion.Status);
        Assert.Equal("\"hello ada\"", completion.Result);
        Assert.Same(completion, second.Completion);
    }

    [Fact]
    public void Execute_FanOutOf500_EmitsAllScheduleActionsInIdOrderThenFansIn()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, long>("FanOut", async (ctx, n) =>
            {
                var tasks = Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<long>("Square", i)).ToArray();
                var results = await Task.WhenAll(tasks);
                return results.Sum();
            })
            .RegisterActivity<int, long>("Square", (_, i) => Task.FromResult((long)i * i));
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("FanOut", 500);

        Assert.Equal(500, first.Actions.Count);
        Assert.All(first.Actions, a => Assert.IsType<ScheduleTaskAction>(a));
        Assert.Equal(Enumerable.Range(0, 500), first.Actions.Select(a => a.Id));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString()), first.Actions.Cast<ScheduleTaskAction>().Select(a => a.Input));
        Assert.Equal(500, first.Actions.Cast<ScheduleTaskAction>().Select(a => a.TaskExecutionId).Distinct().Count());

        // Completions arrive in reverse order, in two turns, the way a busy sidecar might batch them.
        var firstHalf = Enumerable.Range(250, 250).Reverse().Select(i => (HistoryEvent)sim.TaskCompleted(i, (long)i * i)).ToArray();
        var middle = sim.Turn(firstHalf);
        Assert.Empty(middle.Actions);
        var rest = Enumerable.Range(0, 250).Reverse().Select(i => (HistoryEvent)sim.TaskCompleted(i, (long)i * i)).ToArray();
        var last = sim.Turn(rest);

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(last.Actions));
        Assert.Equal(500, completion.Id);
        Assert.Equal(Enumerable.Range(0, 500).Sum(i => (long)i * i).ToString(), completion.Result);
    }

    [Fact]
    public void Execute_WhenAnyOfActivityAndTimer_TimerWinsAndLoserResultIsIgnored()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Race", async (ctx, _) =>
            {
                var work = ctx.CallActivityAsync<string>("Slow");
                var timeout = ctx.CreateTimer(TimeSpan.FromMinutes(5));
                var winner = await Task.WhenAny(work, timeout);
                return winner == work ? await work : "timeout";
            });
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("Race");
        Assert.Equal(2, first.Actions.Count);
        var timer = Assert.IsType<CreateTimerAction>(first.Actions[1]);
        Assert.Equal(HistorySimulator.Start.AddMinutes(5), timer.FireAt);
        Assert.Equal(TimerOriginKind.CreateTimer, timer.Origin.Kind);

        var second = sim.FireNextTimer();

        Assert.Equal("\"timeout\"", Assert.IsType<CompleteWorkflowAction>(Assert.Single(second.Actions)).Result);
    }

    [Fact]
    public void Execute_WhenAnyOfTwoActivities_FirstCompletionWins()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Race", async (ctx, _) =>
            {
                var a = ctx.CallActivityAsync<string>("A");
                var b = ctx.CallActivityAsync<string>("B");
                return await await Task.WhenAny(a, b);
            });
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Race");

        var result = sim.Turn(sim.TaskCompleted(1, "b won"), sim.TaskCompleted(0, "a lost"));

        Assert.Equal("\"b won\"", result.Completion?.Result);
    }

    [Fact]
    public void Execute_Timer_FiresAtCurrentTimePlusDelayAndClockFollowsWorkflowStarted()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, DateTime[]>("Sleep", async (ctx, _) =>
            {
                var before = ctx.CurrentUtcDateTime;
                await ctx.CreateTimer(TimeSpan.FromHours(1));
                await ctx.CreateTimer(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
                return [before, ctx.CurrentUtcDateTime];
            });
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("Sleep");
        Assert.Equal(HistorySimulator.Start.AddHours(1), Assert.IsType<CreateTimerAction>(Assert.Single(first.Actions)).FireAt);
        var second = sim.FireNextTimer();
        var secondTimer = Assert.IsType<CreateTimerAction>(Assert.Single(second.Actions));
        Assert.Equal(1, secondTimer.Id);
        Assert.Equal(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), secondTimer.FireAt);
        sim.FireNextTimer();

        var times = WorkflowJson.Deserialize<DateTime[]>(sim.Completion!.Result)!;
        Assert.Equal(HistorySimulator.Start, times[0]);
        Assert.Equal(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), times[1]);
    }

    [Fact]
    public void Execute_ChildWorkflow_DefaultInstanceIdFollowsDaprRuleAndResultFlowsBack()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, int>("Parent", async (ctx, n) =>
            {
                var a = await ctx.CallChildWorkflowAsync<int>("Child", n);
                var b = await ctx.CallChildWorkflowAsync<int>("Child", n + 1, new ChildWorkflowTaskOptions("my-child"));
                return a + b;
            });
        var sim = new HistorySimulator(registry, "parent");

        var first = sim.StartWorkflow("Parent", 20);
        var child = Assert.IsType<CreateChildWorkflowAction>(Assert.Single(first.Actions));
        Assert.Equal("parent:0000", child.InstanceId);
        Assert.Equal("Child", child.Name);
        Assert.Equal("20", child.Input);

        var second = sim.Turn(sim.ChildCompleted(0, 40));
        var child2 = Assert.IsType<CreateChildWorkflowAction>(Assert.Single(second.Actions));
        Assert.Equal(1, child2.Id);
        Assert.Equal("my-child", child2.InstanceId);

        var third = sim.Turn(sim.ChildCompleted(1, 2));
        Assert.Equal("42", third.Completion?.Result);
    }

    [Fact]
    public void Execute_ChildWorkflowFails_WorkflowSeesTaskFailedExceptionWithDetails()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Parent", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallChildWorkflowAsync("Child");
                    return "no";
                }
                catch (WorkflowTaskFailedException ex)
                {
                    return $"{ex.TaskName}/{ex.TaskId}: {ex.FailureDetails.ErrorMessage}";
                }
            });
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Parent");

        var result = sim.Turn(sim.ChildFailed(0, "child broke"));

        Assert.Equal("\"Child/0: child broke\"", result.Completion?.Result);
    }

    [Fact]
    public void Execute_SendEvent_EmitsSendEventActionMatchedOnReplay()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Notify", async (ctx, _) =>
            {
                ctx.SendEvent("other", "Ping", new { N = 1 });
                return await ctx.CallActivityAsync<int>("Work");
            })
            .RegisterActivity<object?, int>("Work", (_, _) => Task.FromResult(7));
        var sim = new HistorySimulator(registry);

        var first = sim.StartWorkflow("Notify");
        var send = Assert.IsType<SendEventAction>(first.Actions[0]);
        Assert.Equal(("other", "Ping", "{\"n\":1}"), (send.InstanceId, send.Name, send.Data));

        Assert.Equal("7", sim.RunToCompletion().Result);
    }

    [Fact]
    public void Execute_EarlyAndDuplicateCompletions_AreBufferedAndIgnored()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, string>("Seq", async (ctx, _) =>
                await ctx.CallActivityAsync<string>("A") + await ctx.CallActivityAsync<string>("B"));
        var sim = new HistorySimulator(registry);

        // B's result (id 1) arrives before the code has scheduled B; A's result arrives twice.
        var result = sim.StartWorkflow("Seq", null, "execution-1",
            sim.TaskCompleted(1, "b"), sim.TaskCompleted(0, "a"), sim.TaskCompleted(0, "again"));

        Assert.Equal("\"ab\"", result.Completion?.Result);
        Assert.Equal([0, 1, 2], result.Actions.Select(a => a.Id));
    }

    [Fact]
    public void Execute_UnknownWorkflowName_FailsNonRetriably()
    {
        var sim = new HistorySimulator(new WorkflowRegistry().RegisterWorkflow<int, int>("Known", (_, i) => Task.FromResult(i)));

        var result = sim.StartWorkflow("Missing");

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(OrchestrationStatus.Failed, completion.Status);
        Assert.Equal(WorkflowErrorTypes.WorkflowNotFound, completion.FailureDetails!.ErrorType);
        Assert.True(completion.FailureDetails.IsNonRetriable);
        Assert.Contains("'Missing'", completion.FailureDetails.ErrorMessage);
        Assert.Contains("Known", completion.FailureDetails.ErrorMessage);
    }

    [Fact]
    public void Execute_WorkflowThrows_FailureDetailsCarryTypeMessageStackAndInner()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<FailingWorkflow>();
        var sim = new HistorySimulator(registry);

        sim.StartWorkflow(nameof(FailingWorkflow));
        var result = sim.Turn(sim.TaskCompleted(0, 1));

        var failure = result.Completion!.FailureDetails!;
        Assert.Equal(OrchestrationStatus.Failed, result.Completion.Status);
        Assert.Equal(1, result.Completion.Id);
        Assert.Equal("System.InvalidOperationException", failure.ErrorType);
        Assert.Equal("outer problem", failure.ErrorMessage);
        Assert.Contains(nameof(FailingWorkflow), failure.StackTrace);
        Assert.False(failure.IsNonRetriable);
        Assert.Equal("System.ArgumentException", failure.InnerFailure?.ErrorType);
        Assert.Equal("inner problem", failure.InnerFailure?.ErrorMessage);
    }

    [Fact]
    public void Execute_ActivityFailureNotCaught_WorkflowFailsWithActivityFailureAsInner()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("W", async (ctx, _) => await ctx.CallActivityAsync<int>("Boom"))
            .RegisterActivity<object?, int>("Boom", (_, _) => throw new FormatException("bad digits"));
        var sim = new HistorySimulator(registry);

        sim.StartWorkflow("W");
        var completion = sim.RunToCompletion();

        Assert.Equal(OrchestrationStatus.Failed, completion.Status);
        Assert.Equal(typeof(WorkflowTaskFailedException).FullName, completion.FailureDetails!.ErrorType);
        Assert.Contains("Boom", completion.FailureDetails.ErrorMessage);
        Assert.Equal("System.FormatException", completion.FailureDetails.InnerFailure?.ErrorType);
        Assert.Equal("bad digits", completion.FailureDetails.InnerFailure?.ErrorMessage);
        Assert.False(string.IsNullOrEmpty(completion.FailureDetails.InnerFailure?.StackTrace));
    }

    [Fact]
    public void Execute_CustomStatus_IsReturnedOnEveryTurn()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Progress", async (ctx, _) =>
            {
                ctx.SetCustomStatus(new { Done = 0 });
                await ctx.CallActivityAsync("Step");
                await ctx.CreateTimer(TimeSpan.FromSeconds(1));
                ctx.SetCustomStatus(new { Done = 1 });
                return 1;
            })
            .RegisterActivity<object?, object?>("Step", (_, _) => Task.FromResult<object?>(null));
        var sim = new HistorySimulator(registry);

        sim.StartWorkflow("Progress");
        sim.RunToCompletion();

        Assert.Equal(["{\"done\":0}", "{\"done\":0}", "{\"done\":1}"], sim.Turns.Select(t => t.CustomStatus));
    }

    [Fact]
    public void Execute_ClassBasedWorkflowAndActivity_RegisteredUnderClassNames()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<DoublingWorkflow>().RegisterActivity(new DoubleActivity());
        var sim = new HistorySimulator(registry);

        sim.StartWorkflow("doublingworkflow", 21);

        Assert.Equal("DoubleActivity", Assert.IsType<ScheduleTaskAction>(Assert.Single(sim.Last.Actions)).Name);
        Assert.Equal("42", sim.RunToCompletion().Result);
    }

    [Fact]
    public void Registry_DuplicateNameDifferingInCase_Throws()
    {
        var registry = new WorkflowRegistry().RegisterActivity<int, int>("Work", (_, i) => Task.FromResult(i));

        var ex = Assert.Throws<InvalidOperationException>(() => registry.RegisterActivity<int, int>("WORK", (_, i) => Task.FromResult(i)));

        Assert.Contains("WORK", ex.Message);
    }
}
