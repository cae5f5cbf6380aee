using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

/// <summary>
/// The cached execution: turns after the first process only their new events, and whenever the session cannot vouch
/// for its cache it replays in full. (Every <see cref="HistorySimulator"/> test also checks, turn by turn, that the
/// session returns what the full replay returns.)
/// </summary>
public class WorkflowSessionTests
{
    private static WorkflowRegistry Sequence() => new WorkflowRegistry()
        .RegisterWorkflow<int, int>("Sequence", async (ctx, n) =>
        {
            var sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += await ctx.CallActivityAsync<int>("One", i);
                ctx.SetCustomStatus(new { done = i + 1 });
            }

            return sum;
        });

    [Fact]
    public void Execute_LaterTurns_ProcessOnlyTheirNewEvents()
    {
        var sim = new HistorySimulator(Sequence());
        sim.StartWorkflow("Sequence", 200);
        var cached = new List<WorkflowTurnResult>();
        for (var i = 0; i < 200; i++)
        {
            sim.Turn(sim.TaskCompleted(i, 1));
        }

        Assert.Equal("200", sim.Completion?.Result);
        Assert.Equal(1, sim.Session.FullReplays);

        // The same history driven through a fresh session: turn k costs its two new events, not k past ones.
        var session = new WorkflowSession(Sequence(), sim.InstanceId);
        var history = new List<HistoryEvent>();
        for (var turn = 0; turn < sim.Turns.Count; turn++)
        {
            var (start, end) = TurnBounds(sim.History, turn);
            var newEvents = sim.History.GetRange(start, end - start);
            var result = session.Execute(history, newEvents);
            cached.Add(result);
            history = sim.History.GetRange(0, NextTurnStart(sim.History, end));
            session.Acknowledge(history.Count);
        }

        Assert.Equal(1, session.FullReplays);
        Assert.All(cached.Skip(1), r => Assert.Equal(0, r.Statistics.PastEvents));
        Assert.All(cached.Skip(1), r => Assert.Equal(2, r.Statistics.EventsProcessed));
        Assert.Equal("200", cached[^1].Completion?.Result);
    }

    [Fact]
    public void Execute_HistoryOfAnotherLength_ReplaysInFull()
    {
        var sim = new HistorySimulator(Sequence());
        sim.StartWorkflow("Sequence", 3);
        sim.Turn(sim.TaskCompleted(0, 1));

        // An engine that lost track (or another worker wrote history): one event fewer than acknowledged.
        var session = sim.Session;
        var past = sim.History.Take(sim.History.Count - 1).ToList();
        var replays = session.FullReplays;
        var result = session.Execute(past, [new WorkflowStartedEvent(-1, sim.Now)]);

        Assert.Equal(replays + 1, session.FullReplays);
        Assert.Equal(past.Count, result.Statistics.PastEvents);
    }

    [Fact]
    public void Execute_WithoutAcknowledge_ReplaysInFull()
    {
        var registry = Sequence();
        var session = new WorkflowSession(registry, "i");
        var sim = new HistorySimulator(registry, "i") { CheckCachedSession = false };
        sim.StartWorkflow("Sequence", 3);
        var first = session.Execute([], sim.History.Take(2).ToList());

        // Not acknowledged: the session cannot know the actions were recorded, so it must not continue.
        Assert.False(session.IsWarm);
        var second = session.Execute(sim.History, [new WorkflowStartedEvent(-1, sim.Now), sim.TaskCompleted(0, 1)]);

        Assert.Equal(2, session.FullReplays);
        Assert.Equal(first.Actions.Select(a => a.Id), [0]);
        Assert.Equal(second.Actions.Select(a => a.Id), [1]);
    }

    [Fact]
    public void TryContinue_WarmSession_RunsWithoutTheHistory()
    {
        var sim = new HistorySimulator(Sequence());
        sim.StartWorkflow("Sequence", 2);

        Assert.True(sim.Session.IsWarm);
        Assert.Equal(sim.History.Count, sim.Session.HistoryLength);
        Assert.False(sim.Session.TryContinue(sim.History.Count + 1, [new WorkflowStartedEvent(-1, sim.Now)], out _));
        Assert.True(sim.Session.TryContinue(sim.History.Count, [new WorkflowStartedEvent(-1, sim.Now), sim.TaskCompleted(0, 5)], out var result));
        Assert.Equal("One", Assert.IsType<ScheduleTaskAction>(Assert.Single(result.Actions)).Name);
        Assert.Equal("{\"done\":1}", result.CustomStatus);
    }

    [Fact]
    public void Execute_Completed_LeavesTheSessionCold()
    {
        var sim = new HistorySimulator(Sequence());
        sim.StartWorkflow("Sequence", 1);
        sim.Turn(sim.TaskCompleted(0, 1));

        Assert.NotNull(sim.Completion);
        Assert.False(sim.Session.IsWarm);
        Assert.Equal(-1, sim.Session.HistoryLength);
    }

    [Fact]
    public void Reset_EvictsTheCachedExecution()
    {
        var sim = new HistorySimulator(Sequence());
        sim.StartWorkflow("Sequence", 3);
        sim.Session.Reset();
        sim.Turn(sim.TaskCompleted(0, 1));

        Assert.Equal(2, sim.Session.FullReplays);
    }

    // A turn's new events start at a WorkflowStarted and run up to the first scheduling or completion-of-execution
    // event the engine recorded after it (those are the turn's outputs).
    private static (int Start, int End) TurnBounds(List<HistoryEvent> history, int turn)
    {
        var starts = history.Select((e, i) => (e, i)).Where(x => x.e is WorkflowStartedEvent).Select(x => x.i).ToList();
        var start = starts[turn];
        var end = start + 1;
        while (end < history.Count && history[end] is not (WorkflowStartedEvent or TaskScheduledEvent or TimerCreatedEvent
            or ChildWorkflowInstanceCreatedEvent or EventSentEvent or ExecutionCompletedEvent))
        {
            end++;
        }

        return (start, end);
    }

    private static int NextTurnStart(List<HistoryEvent> history, int from)
    {
        var i = from;
        while (i < history.Count && history[i] is not WorkflowStartedEvent)
        {
            i++;
        }

        return i;
    }
}
