using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

public class SchedulerTests
{
    [Fact]
    public void Execute_TaskYieldInWorkflow_RunsOnTheDeterministicScheduler()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<object?, int>("Yield", async (_, _) =>
        {
            var thread = Environment.CurrentManagedThreadId;
            await Task.Yield();
            return Environment.CurrentManagedThreadId == thread ? 1 : 0;
        });

        var result = new HistorySimulator(registry).StartWorkflow("Yield");

        Assert.Equal("1", result.Completion?.Result);
        Assert.Equal(1, result.Statistics.SchedulerCallbacks);
    }

    [Fact]
    public void Execute_ContinuationPostedFromAnotherThread_FailsAsNonDeterministic()
    {
        var foreign = new TaskCompletionSource<int>();
        var registry = new WorkflowRegistry().RegisterWorkflow<object?, int>("Leaky", async (ctx, _) =>
        {
            var background = AwaitElsewhere(foreign.Task);
            await ctx.CallActivityAsync("A");

            // Completing the source on another thread makes the runtime post the continuation from that thread.
            var thread = new Thread(() => foreign.SetResult(1));
            thread.Start();
            thread.Join();
            return await background;
        });
        var sim = new HistorySimulator(registry) { CheckCachedSession = false };
        sim.StartWorkflow("Leaky");

        var result = sim.Turn(sim.TaskCompleted(0, null));

        var completion = Assert.IsType<CompleteWorkflowAction>(Assert.Single(result.Actions));
        Assert.Equal(WorkflowErrorTypes.NonDeterministic, completion.FailureDetails?.ErrorType);
        Assert.Contains("outside the workflow scheduler", completion.FailureDetails?.ErrorMessage);
    }

    private static async Task<int> AwaitElsewhere(Task<int> task) => await task;

    [Fact]
    public void Execute_RestoresCallersSynchronizationContext()
    {
        var registry = new WorkflowRegistry().RegisterWorkflow<object?, int>("W", (_, _) => Task.FromResult(1));
        var before = SynchronizationContext.Current;

        WorkflowExecutor.Execute(registry, "i", [], [new WorkflowStartedEvent(-1, DateTime.UtcNow), new ExecutionStartedEvent(-1, DateTime.UtcNow, "W", "i", "e", null, null)]);

        Assert.Same(before, SynchronizationContext.Current);
    }
}
