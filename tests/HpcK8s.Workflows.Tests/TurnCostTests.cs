using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

/// <summary>
/// Sanity checks, not timings: a turn's work is the replay of its history plus its new events, with no term that
/// grows faster than the history (no scans of pending actions, buffers or earlier events per event).
/// </summary>
public class TurnCostTests
{
    private static WorkflowRegistry FanOut() => new WorkflowRegistry()
        .RegisterWorkflow<int, int>("FanOut", async (ctx, n) =>
        {
            var results = await Task.WhenAll(Enumerable.Range(0, n).Select(i => ctx.CallActivityAsync<int>("One", i)));
            return results.Sum();
        });

    /// <summary>History of a fan-out of <paramref name="n"/> with all but the last result recorded, and the last turn's new events.</summary>
    private static (List<HistoryEvent> Past, HistoryEvent[] New) FanOutHistory(int n)
    {
        var sim = new HistorySimulator(FanOut());
        sim.StartWorkflow("FanOut", n);
        foreach (var batch in Enumerable.Range(0, n - 1).Chunk(100))
        {
            sim.Turn([.. batch.Select(i => sim.TaskCompleted(i, 1))]);
        }

        return (sim.History, [new WorkflowStartedEvent(-1, sim.Now), sim.TaskCompleted(n - 1, 1)]);
    }

    [Fact]
    public void Execute_FinalTurnOfLargeFanOut_DoesWorkProportionalToHistory()
    {
        foreach (var n in new[] { 250, 2000 })
        {
            var (past, newEvents) = FanOutHistory(n);

            var result = WorkflowExecutor.Execute(FanOut(), "instance-1", past, newEvents);

            Assert.Equal(n.ToString(), result.Completion?.Result);
            var s = result.Statistics;
            Assert.Equal(past.Count + newEvents.Length, s.EventsProcessed);
            Assert.Equal(n, s.ActionsCreated);
            Assert.Equal(n, s.ActionsMatched);
            Assert.Equal(n, s.CompletionsDelivered);
            Assert.Equal(0, s.SchedulerCallbacks);
        }
    }

    [Fact]
    public void Execute_AllocationPerHistoryEvent_DoesNotGrowWithHistorySize()
    {
        var small = FanOutHistory(250);
        var large = FanOutHistory(4000);
        Measure(small); // warm up JIT and static caches

        var perEventSmall = Measure(small) / (small.Past.Count + small.New.Length);
        var perEventLarge = Measure(large) / (large.Past.Count + large.New.Length);

        // Linear work allocates a constant amount per event; anything quadratic would show up as a factor ~16 here.
        Assert.True(perEventLarge < perEventSmall * 1.5, $"bytes per event: {perEventSmall:F0} at 250 shards, {perEventLarge:F0} at 4000 shards");
    }

    [Fact]
    public void Execute_SequentialWorkflow_EachTurnReplaysOnceAndCreatesOneNewAction()
    {
        var registry = new WorkflowRegistry()
            .RegisterWorkflow<int, int>("Seq", async (ctx, n) =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += await ctx.CallActivityAsync<int>("One", i);
                }

                return sum;
            })
            .RegisterActivity<int, int>("One", (_, _) => Task.FromResult(1));
        var sim = new HistorySimulator(registry);
        sim.StartWorkflow("Seq", 300);

        Assert.Equal("300", sim.RunToCompletion().Result);

        foreach (var (turn, index) in sim.Turns.Select((t, i) => (t, i)))
        {
            Assert.Equal(turn.Statistics.PastEvents + turn.Statistics.NewEvents, turn.Statistics.EventsProcessed);
            Assert.Equal(Math.Min(index + 1, 300), turn.Statistics.ActionsCreated); // the completion is not counted
            Assert.Equal(index, turn.Statistics.ActionsMatched);
        }
    }

    private static double Measure((List<HistoryEvent> Past, HistoryEvent[] New) history)
    {
        var registry = FanOut();
        var before = GC.GetAllocatedBytesForCurrentThread();
        WorkflowExecutor.Execute(registry, "instance-1", history.Past, history.New);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
