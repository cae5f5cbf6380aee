using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Tests;

/// <summary>
/// Test stand-in for daprd's side of the protocol: keeps an instance's history, feeds the executor turn by turn
/// (past events + new events starting with WorkflowStarted), and records each returned action the way daprd does
/// (one scheduling event with eventId = action.id). Completions are built by the helpers and fed in later turns.
/// Every turn also runs through a <see cref="WorkflowSession"/> (cached execution, only new events) and must give the
/// same actions, custom status and completion as the full replay: every simulator test checks that equivalence.
/// </summary>
internal sealed class HistorySimulator(WorkflowRegistry registry, string instanceId = "instance-1")
{
    public static readonly DateTime Start = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public string InstanceId { get; } = instanceId;

    public List<HistoryEvent> History { get; } = [];

    public List<WorkflowTurnResult> Turns { get; } = [];

    /// <summary>Actions recorded in history and not yet completed (activities, timers, children), by id.</summary>
    public Dictionary<int, WorkflowAction> Outstanding { get; } = [];

    public DateTime Now { get; set; } = Start;

    public CompleteWorkflowAction? Completion { get; private set; }

    public WorkflowTurnResult Last => Turns[^1];

    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Whether to check each turn against a cached <see cref="WorkflowSession"/> (off for workflows whose code
    /// has side effects a test counts, since the check runs the code a second time).</summary>
    public bool CheckCachedSession { get; init; } = true;

    /// <summary>The lockstep session (its logs go nowhere, so log assertions see the full replay's only).</summary>
    public WorkflowSession Session { get; } = new(registry, instanceId);

    public WorkflowTurnResult StartWorkflow(string name, object? input = null, string executionId = "execution-1", params HistoryEvent[] more) =>
        Turn([new ExecutionStartedEvent(-1, Now, name, InstanceId, executionId, WorkflowJson.Serialize(input), null), .. more]);

    /// <summary>Runs one turn with WorkflowStarted(now) followed by <paramref name="events"/>, then records the actions.</summary>
    public WorkflowTurnResult Turn(params HistoryEvent[] events)
    {
        List<HistoryEvent> newEvents = [new WorkflowStartedEvent(-1, Now), .. events];
        var past = History.ToArray();
        var result = WorkflowExecutor.Execute(registry, InstanceId, past, newEvents, LoggerFactory);
        if (CheckCachedSession)
        {
            AssertSameTurn(result, Session.Execute(past, newEvents));
        }

        History.AddRange(newEvents);
        foreach (var e in events)
        {
            switch (e)
            {
                case TaskCompletedEvent c: Outstanding.Remove(c.TaskScheduledId); break;
                case TaskFailedEvent f: Outstanding.Remove(f.TaskScheduledId); break;
                case TimerFiredEvent t: Outstanding.Remove(t.TimerId); break;
                case ChildWorkflowInstanceCompletedEvent c: Outstanding.Remove(c.TaskScheduledId); break;
                case ChildWorkflowInstanceFailedEvent f: Outstanding.Remove(f.TaskScheduledId); break;
            }
        }

        Record(result.Actions);
        Session.Acknowledge(History.Count);
        Turns.Add(result);
        return result;
    }

    private static void AssertSameTurn(WorkflowTurnResult full, WorkflowTurnResult cached)
    {
        // Stack traces name the frames that drove the code (replay loop or not); everything else must be equal.
        static string Json(object? value) => System.Text.RegularExpressions.Regex.Replace(
            System.Text.Json.JsonSerializer.Serialize(value, WorkflowJson.Options), "\"stackTrace\":(null|\"(\\\\.|[^\"\\\\])*\")", "\"stackTrace\":-");
        Assert.Equal(Json(full.Actions.ToArray()), Json(cached.Actions.ToArray()));
        Assert.Equal(full.CustomStatus, cached.CustomStatus);
        Assert.Equal(full.IsSuspended, cached.IsSuspended);
        Assert.Equal(Json(full.Completion), Json(cached.Completion));
    }

    /// <summary>Runs every outstanding activity through <see cref="ActivityExecutor"/> and feeds all results back in one turn.</summary>
    public WorkflowTurnResult CompleteActivities()
    {
        var events = new List<HistoryEvent>();
        foreach (var task in Outstanding.Values.OfType<ScheduleTaskAction>().OrderBy(a => a.Id).ToList())
        {
            var result = ActivityExecutor.ExecuteAsync(registry, task.Name, task.Input, InstanceId, task.Id, task.TaskExecutionId, CancellationToken.None)
                .GetAwaiter().GetResult();
            events.Add(result.IsSuccess
                ? new TaskCompletedEvent(-1, Now, task.Id, result.Output, task.TaskExecutionId)
                : new TaskFailedEvent(-1, Now, task.Id, result.FailureDetails!, task.TaskExecutionId));
        }

        return Turn([.. events]);
    }

    /// <summary>Advances the clock to the earliest outstanding timer and fires it.</summary>
    public WorkflowTurnResult FireNextTimer()
    {
        var timer = Outstanding.Values.OfType<CreateTimerAction>().OrderBy(t => t.FireAt).ThenBy(t => t.Id).First();
        Now = timer.FireAt;
        return Turn(TimerFired(timer.Id));
    }

    /// <summary>Drives activities and timers until the workflow completes (or nothing is outstanding).</summary>
    public CompleteWorkflowAction RunToCompletion(int maxTurns = 1000)
    {
        for (var i = 0; i < maxTurns && Completion is null; i++)
        {
            if (Outstanding.Values.Any(a => a is ScheduleTaskAction))
            {
                CompleteActivities();
            }
            else if (Outstanding.Values.Any(a => a is CreateTimerAction))
            {
                FireNextTimer();
            }
            else
            {
                break;
            }
        }

        return Completion ?? throw new InvalidOperationException("The workflow did not complete; nothing is outstanding.");
    }

    public TaskCompletedEvent TaskCompleted(int id, object? result) => new(-1, Now, id, WorkflowJson.Serialize(result), null);

    public TaskFailedEvent TaskFailed(int id, string message, bool nonRetriable = false) =>
        new(-1, Now, id, new FailureDetails("System.InvalidOperationException", message, "   at Activity.RunAsync()", null, nonRetriable), null);

    public TimerFiredEvent TimerFired(int id) => new(-1, Now, ((CreateTimerAction)Outstanding[id]).FireAt, id);

    public ChildWorkflowInstanceCompletedEvent ChildCompleted(int id, object? result) => new(-1, Now, id, WorkflowJson.Serialize(result));

    public ChildWorkflowInstanceFailedEvent ChildFailed(int id, string message) =>
        new(-1, Now, id, new FailureDetails("System.InvalidOperationException", message));

    public EventRaisedEvent EventRaised(string name, object? payload) => new(-1, Now, name, WorkflowJson.Serialize(payload));

    private void Record(IReadOnlyList<WorkflowAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case ScheduleTaskAction s:
                    History.Add(new TaskScheduledEvent(s.Id, Now, s.Name, s.Input, s.TaskExecutionId));
                    Outstanding[s.Id] = s;
                    break;
                case CreateTimerAction t:
                    History.Add(new TimerCreatedEvent(t.Id, Now, t.FireAt, t.Name, t.Origin));
                    Outstanding[t.Id] = t;
                    break;
                case CreateChildWorkflowAction c:
                    History.Add(new ChildWorkflowInstanceCreatedEvent(c.Id, Now, c.InstanceId, c.Name, c.Input));
                    Outstanding[c.Id] = c;
                    break;
                case SendEventAction s:
                    History.Add(new EventSentEvent(s.Id, Now, s.InstanceId, s.Name, s.Data));
                    break;
                case CompleteWorkflowAction c:
                    Completion ??= c;
                    History.Add(new ExecutionCompletedEvent(-1, Now, c.Status, c.Result, c.FailureDetails));
                    break;
            }
        }
    }
}
