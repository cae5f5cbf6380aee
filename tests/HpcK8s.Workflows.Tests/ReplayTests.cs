using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Workflows.Tests;

public class ReplayTests
{
    private static WorkflowRegistry Steps(params string[] activities) => new WorkflowRegistry()
        .RegisterWorkflow<object?, int>("Steps", async (ctx, _) =>
        {
            foreach (var name in activities)
            {
                await ctx.CallActivityAsync(name);
            }

            return activities.Length;
        });

    private static HistorySimulator RunV1ThroughTwoActivities()
    {
        var sim = new HistorySimulator(Steps("A", "B", "C"));
        sim.StartWorkflow("Steps");
        sim.Turn(sim.TaskCompleted(0, null));
        sim.Turn(sim.TaskCompleted(1, null));
        return sim;
    }

    [Fact]
    public void Execute_ReplayAgainstChangedActivityName_FailsNonDeterministicNamingIdExpectedAndFound()
    {
        var sim = RunV1ThroughTwoActivities();

        var result = WorkflowExecutor.Execute(Steps("A", "X", "C"), sim.InstanceId, sim.History,
            [new WorkflowStartedEvent(-1, sim.Now), sim.TaskCompleted(2, null)]);

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(OrchestrationStatus.Failed, completion.Status);
        Assert.Equal(WorkflowErrorTypes.NonDeterministic, completion.FailureDetails!.ErrorType);
        Assert.True(completion.FailureDetails.IsNonRetriable);
        var message = completion.FailureDetails.ErrorMessage;
        Assert.Contains("with id 1", message);
        Assert.Contains("TaskScheduled (CallActivityAsync(\"B\"))", message);
        Assert.Contains("now calls CallActivityAsync(\"X\")", message);
        Assert.Contains("instance 'instance-1'", message);
    }

    [Fact]
    public void Execute_ReplayAgainstCodeThatCallsATimerInstead_FailsNamingTheKinds()
    {
        var sim = RunV1ThroughTwoActivities();
        var changed = new WorkflowRegistry().RegisterWorkflow<object?, int>("Steps", async (ctx, _) =>
        {
            await ctx.CallActivityAsync("A");
            await ctx.CreateTimer(TimeSpan.FromSeconds(1));
            return 0;
        });

        var result = WorkflowExecutor.Execute(changed, sim.InstanceId, sim.History, [new WorkflowStartedEvent(-1, sim.Now)]);

        var message = result.Completion!.FailureDetails!.ErrorMessage;
        Assert.Contains("history records TaskScheduled (CallActivityAsync(\"B\")) with id 1", message);
        Assert.Contains("now calls CreateTimer(fireAt", message);
    }

    [Fact]
    public void Execute_ReplayAgainstCodeThatMakesFewerCalls_FailsSayingNoCallWasMade()
    {
        var sim = RunV1ThroughTwoActivities();

        var result = WorkflowExecutor.Execute(Steps("A"), sim.InstanceId, sim.History, [new WorkflowStartedEvent(-1, sim.Now)]);

        var completion = result.Completion!;
        Assert.Equal(OrchestrationStatus.Failed, completion.Status);
        Assert.Contains("with id 1", completion.FailureDetails!.ErrorMessage);
        Assert.Contains("completes the workflow (Completed) with id 1", completion.FailureDetails.ErrorMessage);
    }

    [Fact]
    public void Execute_ReplayWithActivityNameInOtherCase_StillMatches()
    {
        var sim = RunV1ThroughTwoActivities();

        var result = WorkflowExecutor.Execute(Steps("a", "b", "c"), sim.InstanceId, sim.History, [new WorkflowStartedEvent(-1, sim.Now)]);

        // Every call is already recorded (C as TaskScheduled 2): nothing new, and no failure.
        Assert.Empty(result.Actions);
        Assert.Equal(3, result.Statistics.ActionsMatched);
    }

    [Fact]
    public void NewGuid_IsDeterministicAcrossReplaysAndDistinctPerInstance()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, Guid[]>("Ids", async (ctx, _) =>
            {
                var a = ctx.NewGuid();
                ctx.SetCustomStatus(a);
                await ctx.CallActivityAsync("Step");
                return [a, ctx.NewGuid()];
            })
            .RegisterActivity<object?, object?>("Step", (_, _) => Task.FromResult<object?>(null));

        var one = new HistorySimulator(registry, "one");
        one.StartWorkflow("Ids");
        var guids = WorkflowJson.Deserialize<Guid[]>(one.RunToCompletion().Result)!;
        var other = new HistorySimulator(registry, "other");
        other.StartWorkflow("Ids");
        var otherGuids = WorkflowJson.Deserialize<Guid[]>(other.RunToCompletion().Result)!;

        Assert.Equal(one.Turns[0].CustomStatus, one.Turns[1].CustomStatus);
        Assert.Equal(guids[0], WorkflowJson.Deserialize<Guid>(one.Turns[0].CustomStatus));
        Assert.NotEqual(guids[0], guids[1]);
        Assert.Empty(guids.Intersect(otherGuids));
        Assert.All(guids, g => Assert.Equal('5', g.ToString()[14]));
    }

    [Fact]
    public void ReplaySafeLogger_WritesNothingWhileReplaying()
    {
        var logger = new CapturingLogger();
        var seenReplaying = new List<bool>();
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Logs", async (ctx, _) =>
            {
                var log = ctx.CreateReplaySafeLogger("Logs");
                seenReplaying.Add(ctx.IsReplaying);
                TestLog.Note(log, "started");
                await ctx.CallActivityAsync("Step");
                seenReplaying.Add(ctx.IsReplaying);
                TestLog.Note(log, "after step 1");
                await ctx.CallActivityAsync("Step");
                TestLog.Note(log, "done");
                return 0;
            })
            .RegisterActivity<object?, object?>("Step", (_, _) => Task.FromResult<object?>(null));
        var sim = new HistorySimulator(registry) { LoggerFactory = logger, CheckCachedSession = false };

        sim.StartWorkflow("Logs");
        sim.RunToCompletion();

        Assert.Equal(["started", "after step 1", "done"], logger.Messages);
        // Turn 1 runs live; turn 2 replays the start; turn 3 replays both points.
        Assert.Equal([false, true, false, true, true], seenReplaying);
    }

    [Fact]
    public void ReplaySafeLogger_WrappingAnExistingLogger_IsDisabledWhileReplaying()
    {
        var inner = new CapturingLogger();
        var enabled = new List<bool>();
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<object?, int>("Logs", async (ctx, _) =>
            {
                enabled.Add(ctx.CreateReplaySafeLogger(inner).IsEnabled(LogLevel.Information));
                await ctx.CreateTimer(TimeSpan.FromSeconds(1));
                return 0;
            });
        var sim = new HistorySimulator(registry) { CheckCachedSession = false };

        sim.StartWorkflow("Logs");
        sim.FireNextTimer();

        Assert.Equal([true, false], enabled);
    }

    [Fact]
    public void Execute_ContextUsedAfterTheTurn_Throws()
    {
        WorkflowContext? captured = null;
        var registry = new WorkflowRegistry().RegisterWorkflow<object?, int>("Leak", async (ctx, _) =>
        {
            captured = ctx;
            await ctx.CreateTimer(TimeSpan.FromSeconds(1));
            return 0;
        });
        new HistorySimulator(registry).StartWorkflow("Leak");

        var ex = Assert.Throws<InvalidOperationException>(() => { _ = captured!.CallActivityAsync("Late"); });

        Assert.Contains("outside the workflow's turn", ex.Message);
    }
}
