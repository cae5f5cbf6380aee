using System.Globalization;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Workflows.Execution;

/// <summary>
/// One workflow execution's replay state machine: replays past events, processes new ones, and collects the actions
/// the code produced that history does not yet record. <see cref="WorkflowExecutor"/> uses it for one turn;
/// <see cref="WorkflowSession"/> keeps it alive and feeds it only the next turns' new events.
/// </summary>
/// <remarks>
/// The rules are those of section 3 of docs/dapr-workflow-protocol.md (the DurableTask.Core / durabletask-go
/// model): one id counter per execution; scheduling events must match the pending action with the same id;
/// completions resolve by id and are buffered when early; external events are FIFO per name, case-insensitive.
/// Every lookup is a hash lookup, so a turn costs O(past + new events + actions).
/// </remarks>
internal sealed class WorkflowTurn
{
    private readonly WorkflowRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;
    private readonly WorkflowSynchronizationContext _scheduler = new();
    private readonly ReplayWorkflowContext _context;

    // Actions created by the code and not yet matched to a scheduling event, by id.
    private readonly Dictionary<int, WorkflowAction> _pendingActions = [];

    // Open tasks by action id; the handler returns false when the event is of the wrong kind for it.
    private readonly Dictionary<int, Func<HistoryEvent, bool>> _openTasks = [];
    private readonly Dictionary<int, HistoryEvent> _earlyCompletions = [];
    private readonly HashSet<int> _resolvedTasks = [];

    private readonly Dictionary<string, Queue<IEventWaiter>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<(long Sequence, EventRaisedEvent Event)>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _suspendedEvents = [];

    private int _nextActionId;
    private int _guidCounter;
    private long _eventSequence;
    private bool _started;
    private bool _suspended;
    private bool _fatal;
    private bool _preserveUnprocessedEvents;
    private Task<object?>? _workflowTask;
    private bool _workflowTaskObserved;
    private CompleteWorkflowAction? _completion;

    private int _eventsProcessed;
    private int _actionsCreated;
    private int _actionsMatched;
    private int _completionsDelivered;

    public WorkflowTurn(WorkflowRegistry registry, string instanceId, ILoggerFactory loggerFactory)
    {
        _registry = registry;
        _loggerFactory = loggerFactory;
        InstanceId = instanceId;
        _context = new ReplayWorkflowContext(this);
    }

    public string InstanceId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string? ExecutionId { get; private set; }

    public DateTime CurrentUtcDateTime { get; private set; }

    public bool IsReplaying { get; private set; }

    public string? CustomStatus { get; private set; }

    /// <summary>True once the execution has completed or failed: it can take no further turn.</summary>
    public bool IsFinished => _fatal || _completion is not null;

    /// <summary>True when something was posted to the scheduler from outside a turn (non-deterministic code).</summary>
    public bool HasForeignPosts => _scheduler.HasForeignPosts;

    public WorkflowTurnResult Run(IReadOnlyList<HistoryEvent> pastEvents, IReadOnlyList<HistoryEvent> newEvents) =>
        RunCore(pastEvents, newEvents);

    /// <summary>Runs a further turn of a live execution: only <paramref name="newEvents"/> are processed.</summary>
    /// <remarks>The caller guarantees that the actions of the previous turn were recorded
    /// (<see cref="Acknowledge"/>) and that nothing else was added to history since.</remarks>
    public WorkflowTurnResult Continue(IReadOnlyList<HistoryEvent> newEvents)
    {
        _eventsProcessed = 0;
        _actionsCreated = 0;
        _actionsMatched = 0;
        _completionsDelivered = 0;
        _scheduler.Open();
        return RunCore([], newEvents);
    }

    /// <summary>Records that the engine wrote <paramref name="actions"/> (the previous turn's output) to history:
    /// the same effect as replaying their scheduling events, which then match and leave the outbox.</summary>
    public void Acknowledge(IReadOnlyList<WorkflowAction> actions)
    {
        foreach (var action in actions)
        {
            if (action is not CompleteWorkflowAction)
            {
                _pendingActions.Remove(action.Id);
            }
        }
    }

    private WorkflowTurnResult RunCore(IReadOnlyList<HistoryEvent> pastEvents, IReadOnlyList<HistoryEvent> newEvents)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_scheduler);
        try
        {
            IsReplaying = true;
            foreach (var e in pastEvents)
            {
                if (!Step(e))
                {
                    break;
                }
            }

            IsReplaying = false;
            if (!_fatal)
            {
                foreach (var e in newEvents)
                {
                    if (!Step(e))
                    {
                        break;
                    }
                }
            }
        }
#pragma warning disable CA1031 // The worker must answer every turn: its own failures become a FAILED completion.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fatal(FailureDetails.FromException(ex));
        }
        finally
        {
            _scheduler.Close();
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return BuildResult(pastEvents.Count, newEvents.Count);
    }

    // ---- event processing -------------------------------------------------------------------------------

    private bool Step(HistoryEvent e)
    {
        _eventsProcessed++;
        if (_suspended && e is not (ExecutionResumedEvent or ExecutionTerminatedEvent or WorkflowStartedEvent))
        {
            _suspendedEvents.Add(e);
            return true;
        }

        Dispatch(e);
        Drain();

        if (e is ExecutionResumedEvent && !_fatal && !_suspended && _suspendedEvents.Count > 0)
        {
            var released = _suspendedEvents.ToArray();
            _suspendedEvents.Clear();
            foreach (var buffered in released)
            {
                if (!Step(buffered))
                {
                    return false;
                }
            }
        }

        return !_fatal;
    }

    private void Dispatch(HistoryEvent e)
    {
        switch (e)
        {
            case WorkflowStartedEvent:
                CurrentUtcDateTime = AsUtc(e.Timestamp);
                break;
            case ExecutionStartedEvent started:
                Start(started);
                break;
            case ExecutionTerminatedEvent terminated:
                Terminate(terminated);
                break;
            case ExecutionSuspendedEvent:
                _suspended = true;
                break;
            case ExecutionResumedEvent:
                _suspended = false;
                break;
            case TaskScheduledEvent scheduled:
                Match(scheduled, a => a is ScheduleTaskAction s && NamesEqual(s.Name, scheduled.Name));
                break;
            case TimerCreatedEvent timer:
                Match(timer, a => a is CreateTimerAction);
                break;
            case ChildWorkflowInstanceCreatedEvent child:
                Match(child, a => a is CreateChildWorkflowAction c && NamesEqual(c.Name, child.Name));
                break;
            case EventSentEvent sent:
                Match(sent, a => a is SendEventAction);
                break;
            case TaskCompletedEvent completed:
                Resolve(completed.TaskScheduledId, completed);
                break;
            case TaskFailedEvent failed:
                Resolve(failed.TaskScheduledId, failed);
                break;
            case ChildWorkflowInstanceCompletedEvent childCompleted:
                Resolve(childCompleted.TaskScheduledId, childCompleted);
                break;
            case ChildWorkflowInstanceFailedEvent childFailed:
                Resolve(childFailed.TaskScheduledId, childFailed);
                break;
            case TimerFiredEvent fired:
                Resolve(fired.TimerId, fired);
                break;
            case EventRaisedEvent raised:
                Raise(raised);
                break;
            default:
                // ExecutionCompleted, WorkflowCompleted, ContinueAsNew and events we do not model: nothing to do.
                break;
        }
    }

    private void Drain()
    {
        _scheduler.RunPending();
        if (_scheduler.HasForeignPosts)
        {
            Fatal(new FailureDetails(
                WorkflowErrorTypes.NonDeterministic,
                $"Workflow '{Name}' (instance '{InstanceId}') awaited a task that completed outside the workflow scheduler. " +
                "Workflow code must not use Task.Run, Task.Delay, ConfigureAwait(false), I/O or other asynchronous APIs; " +
                "use activities, CreateTimer and WaitForExternalEventAsync instead.",
                IsNonRetriable: true));
            return;
        }

        if (_workflowTask is { IsCompleted: true } task && !_workflowTaskObserved)
        {
            _workflowTaskObserved = true;
            try
            {
                var output = task.GetAwaiter().GetResult();
                SetCompletion(OrchestrationStatus.Completed, WorkflowJson.Serialize(output), null);
            }
#pragma warning disable CA1031 // Any exception of the workflow code fails the workflow.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                SetCompletion(OrchestrationStatus.Failed, null, FailureDetails.FromException(ex));
            }
        }
    }

    private void Start(ExecutionStartedEvent started)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        Name = started.Name;
        ExecutionId = started.ExecutionId;
        if (!string.IsNullOrEmpty(started.InstanceId))
        {
            InstanceId = started.InstanceId;
        }

        if (!_registry.TryCreateWorkflow(started.Name, out var workflow))
        {
            Fatal(new FailureDetails(
                WorkflowErrorTypes.WorkflowNotFound,
                $"No workflow named '{started.Name}' is registered with this worker (registered: {string.Join(", ", _registry.WorkflowNames.Order(StringComparer.Ordinal))}). " +
                "Register it in the WorkflowRegistry, or start a workflow that is registered.",
                IsNonRetriable: true));
            return;
        }

        try
        {
            var input = WorkflowJson.Deserialize(started.Input, workflow.InputType);
            _workflowTask = workflow.RunAsync(_context, input);
        }
#pragma warning disable CA1031 // A synchronous throw (bad input JSON, a non-async override) fails the workflow like an async one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _workflowTask = Task.FromException<object?>(ex);
        }
    }

    private void Terminate(ExecutionTerminatedEvent terminated)
    {
        if (_fatal)
        {
            return;
        }

        _fatal = true;
        _pendingActions.Clear();
        _completion = new CompleteWorkflowAction(_nextActionId++, OrchestrationStatus.Terminated, terminated.Input, null, []);
    }

    private void Match(HistoryEvent scheduling, Func<WorkflowAction, bool> matches)
    {
        var id = scheduling.EventId;
        if (_pendingActions.TryGetValue(id, out var action) && matches(action))
        {
            _pendingActions.Remove(id);
            _actionsMatched++;
            return;
        }

        string found;
        if (action is not null)
        {
            found = $"now calls {Describe(action)} with id {id}";
        }
        else if (_completion is not null && _completion.Id == id)
        {
            found = $"completes the workflow ({_completion.Status}) with id {id}";
        }
        else
        {
            found = $"made no pending call with id {id} (it has used ids 0..{_nextActionId - 1} so far)";
        }

        Fatal(new FailureDetails(
            WorkflowErrorTypes.NonDeterministic,
            $"Non-deterministic workflow '{Name}' (instance '{InstanceId}'): history records {Describe(scheduling)} with id {id}, " +
            $"but the workflow code {found}. Workflow code must make the same calls in the same order on every replay; " +
            "give breaking changes a new workflow name.",
            IsNonRetriable: true));
    }

    private void Resolve(int id, HistoryEvent completion)
    {
        if (_openTasks.Remove(id, out var handler))
        {
            if (handler(completion))
            {
                _resolvedTasks.Add(id);
                _completionsDelivered++;
            }
            else
            {
                _openTasks[id] = handler;
            }
        }
        else if (!_resolvedTasks.Contains(id))
        {
            // Early completion: the task is registered later in this turn (or never); a duplicate is ignored.
            _earlyCompletions.TryAdd(id, completion);
        }
    }

    private void Raise(EventRaisedEvent raised)
    {
        if (_eventWaiters.TryGetValue(raised.Name, out var waiters))
        {
            while (waiters.TryDequeue(out var waiter))
            {
                if (waiter.TryDeliver(raised.Input))
                {
                    _completionsDelivered++;
                    return;
                }
            }
        }

        if (!_bufferedEvents.TryGetValue(raised.Name, out var queue))
        {
            queue = new Queue<(long, EventRaisedEvent)>();
            _bufferedEvents.Add(raised.Name, queue);
        }

        queue.Enqueue((_eventSequence++, raised));
    }

    private void Fatal(FailureDetails failure)
    {
        if (_fatal)
        {
            return;
        }

        _fatal = true;
        _pendingActions.Clear();
        _completion = new CompleteWorkflowAction(_nextActionId++, OrchestrationStatus.Failed, null, failure, []);
    }

    private WorkflowTurnResult BuildResult(int pastCount, int newCount)
    {
        var statistics = new WorkflowTurnStatistics(
            pastCount,
            newCount,
            _eventsProcessed,
            _actionsCreated,
            _actionsMatched,
            _completionsDelivered,
            _scheduler.CallbacksRun);

        if (_fatal)
        {
            return new WorkflowTurnResult([_completion!], CustomStatus, _completion, false, statistics);
        }

        if (_suspended)
        {
            // Nothing new while suspended: the code re-creates these actions on the turn after the resume.
            return new WorkflowTurnResult([], CustomStatus, null, true, statistics);
        }

        var actions = new List<WorkflowAction>(_pendingActions.Count + 1);
        actions.AddRange(_pendingActions.Values);
        actions.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var completion = _completion;
        if (completion is not null)
        {
            if (completion.Status == OrchestrationStatus.ContinuedAsNew && _preserveUnprocessedEvents)
            {
                completion = completion with { CarryoverEvents = UnconsumedEvents() };
            }

            actions.Add(completion);
        }

        return new WorkflowTurnResult(actions, CustomStatus, completion, false, statistics);
    }

    private List<HistoryEvent> UnconsumedEvents() =>
        [.. _bufferedEvents.Values.SelectMany(q => q).OrderBy(x => x.Sequence).Select(x => (HistoryEvent)x.Event)];

    // ---- operations called by the workflow code (through ReplayWorkflowContext) ---------------------------

    public Task<T> CallActivityAsync<T>(string name, object? input, WorkflowTaskOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EnsureOnTurnThread();
        var inputJson = WorkflowJson.Serialize(input);

        // Deterministic, and shared by every attempt of this call so activities can be idempotent on it.
        var taskExecutionId = DeterministicGuid.Create($"{ExecutionKey}:task:{_nextActionId}").ToString("D");
        if (options?.RetryPolicy is not { } policy)
        {
            return ScheduleTask<T>(name, inputJson, taskExecutionId);
        }

        var origin = TimerOrigin.ActivityRetry(taskExecutionId);
        return RetryAsync(() => (ScheduleTask<T>(name, inputJson, taskExecutionId), origin), policy);
    }

    public Task<T> CallChildWorkflowAsync<T>(string name, object? input, ChildWorkflowTaskOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EnsureOnTurnThread();
        var inputJson = WorkflowJson.Serialize(input);
        if (options?.RetryPolicy is not { } policy)
        {
            return CreateChild<T>(name, inputJson, options?.InstanceId).Task;
        }

        return RetryAsync(
            () =>
            {
                var (task, instanceId) = CreateChild<T>(name, inputJson, options.InstanceId);
                return (task, TimerOrigin.ChildWorkflowRetry(instanceId));
            },
            policy);
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        EnsureOnTurnThread();
        return CreateTimerCore(AsUtc(fireAt), null, TimerOrigin.CreateTimer, cancellationToken);
    }

    public Task<T> WaitForExternalEventAsync<T>(string eventName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        EnsureOnTurnThread();
        if (TryTakeBufferedEvent(eventName, out var buffered))
        {
            return FromJson<T>(buffered.Input);
        }

        var waiter = AddWaiter<T>(eventName);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => waiter.Cancel(cancellationToken));
        }

        return waiter.Task;
    }

    public Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return WaitForExternalEventAsync<T>(eventName, CancellationToken.None);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        EnsureOnTurnThread();
        if (TryTakeBufferedEvent(eventName, out var buffered))
        {
            return FromJson<T>(buffered.Input);
        }

        var waiter = AddWaiter<T>(eventName);
        var timer = CreateTimerCore(CurrentUtcDateTime.Add(timeout), eventName, TimerOrigin.ExternalEvent(eventName), CancellationToken.None);
        return WaitWithTimeoutAsync(waiter, timer, eventName, timeout);
    }

    public void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        EnsureOnTurnThread();
        AddAction(new SendEventAction(_nextActionId++, instanceId, eventName, WorkflowJson.Serialize(payload)));
    }

    public void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents)
    {
        EnsureOnTurnThread();
        if (SetCompletion(OrchestrationStatus.ContinuedAsNew, WorkflowJson.Serialize(newInput), null))
        {
            _preserveUnprocessedEvents = preserveUnprocessedEvents;
        }
    }

    public void SetCustomStatus(object? customStatus)
    {
        EnsureOnTurnThread();
        CustomStatus = WorkflowJson.Serialize(customStatus);
    }

    public Guid NewGuid()
    {
        EnsureOnTurnThread();
        return DeterministicGuid.Create(string.Create(CultureInfo.InvariantCulture, $"{InstanceId}:{ExecutionId}:guid:{_guidCounter++}"));
    }

    public ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(_loggerFactory.CreateLogger(categoryName), () => IsReplaying);

    public ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(logger, () => IsReplaying);

    internal static bool SetFromJson<T>(TaskCompletionSource<T> source, string? json)
    {
        T value;
        try
        {
            value = WorkflowJson.Deserialize<T>(json)!;
        }
#pragma warning disable CA1031 // A payload that does not fit T surfaces in the workflow code that awaited it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return source.TrySetException(ex);
        }

        return source.TrySetResult(value);
    }

    private string ExecutionKey => string.IsNullOrEmpty(ExecutionId) ? InstanceId : $"{InstanceId}:{ExecutionId}";

    private Task<T> ScheduleTask<T>(string name, string? inputJson, string taskExecutionId)
    {
        var id = _nextActionId++;
        AddAction(new ScheduleTaskAction(id, name, inputJson, taskExecutionId));
        var source = new TaskCompletionSource<T>();
        Register(id, e => e switch
        {
            TaskCompletedEvent completed => SetFromJson(source, completed.Result) || true,
            TaskFailedEvent failed => source.TrySetException(new WorkflowTaskFailedException(
                $"Activity '{name}' (task {id}) failed: {failed.FailureDetails}", failed.FailureDetails)
            {
                TaskName = name,
                TaskId = id,
            }) || true,
            _ => false,
        });
        return source.Task;
    }

    private (Task<T> Task, string InstanceId) CreateChild<T>(string name, string? inputJson, string? instanceId)
    {
        var id = _nextActionId++;

        // daprd's own fallback for an empty id, made explicit so every engine sees the same value.
        instanceId ??= $"{InstanceId}:{(0x10000 + id).ToString("x", CultureInfo.InvariantCulture)[^4..]}";
        AddAction(new CreateChildWorkflowAction(id, instanceId, name, inputJson));
        var source = new TaskCompletionSource<T>();
        Register(id, e => e switch
        {
            ChildWorkflowInstanceCompletedEvent completed => SetFromJson(source, completed.Result) || true,
            ChildWorkflowInstanceFailedEvent failed => source.TrySetException(new WorkflowTaskFailedException(
                $"Child workflow '{name}' (instance '{instanceId}', task {id}) failed: {failed.FailureDetails}", failed.FailureDetails)
            {
                TaskName = name,
                TaskId = id,
            }) || true,
            _ => false,
        });
        return (source.Task, instanceId);
    }

    private Task<object?> CreateTimerCore(DateTime fireAt, string? name, TimerOrigin origin, CancellationToken cancellationToken)
    {
        var id = _nextActionId++;
        AddAction(new CreateTimerAction(id, fireAt, name, origin));
        var source = new TaskCompletionSource<object?>();
        Register(id, e => e is TimerFiredEvent && (source.TrySetResult(null) || true));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        }

        return source.Task;
    }

    private async Task<T> RetryAsync<T>(Func<(Task<T> Task, TimerOrigin RetryOrigin)> attempt, WorkflowRetryPolicy policy)
    {
        var firstAttemptAt = CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            var (task, retryOrigin) = attempt();
            TimeSpan delay;
            try
            {
                // ConfigureAwait(true) throughout: retries run on the workflow scheduler.
                return await task.ConfigureAwait(true);
            }
            catch (WorkflowTaskFailedException ex) when (!ex.FailureDetails.IsNonRetriable && number < policy.MaxNumberOfAttempts)
            {
                delay = policy.GetDelay(number);
                if (policy.RetryTimeout is { } retryTimeout && CurrentUtcDateTime.Add(delay) > firstAttemptAt.Add(retryTimeout))
                {
                    throw;
                }
            }

            await CreateTimerCore(CurrentUtcDateTime.Add(delay), null, retryOrigin, CancellationToken.None).ConfigureAwait(true);
        }
    }

    private async Task<T> WaitWithTimeoutAsync<T>(EventWaiter<T> waiter, Task timer, string eventName, TimeSpan timeout)
    {
        var winner = await Task.WhenAny(waiter.Task, timer).ConfigureAwait(true);
        if (winner != waiter.Task)
        {
            waiter.Cancel();
            throw new TaskCanceledException(
                $"No external event '{eventName}' arrived within {timeout} (durable timer fired at {CurrentUtcDateTime:O}).");
        }

        return await waiter.Task.ConfigureAwait(true);
    }

    private EventWaiter<T> AddWaiter<T>(string eventName)
    {
        var waiter = new EventWaiter<T>();
        if (!_eventWaiters.TryGetValue(eventName, out var waiters))
        {
            waiters = new Queue<IEventWaiter>();
            _eventWaiters.Add(eventName, waiters);
        }

        waiters.Enqueue(waiter);
        return waiter;
    }

    private bool TryTakeBufferedEvent(string eventName, out EventRaisedEvent raised)
    {
        if (_bufferedEvents.TryGetValue(eventName, out var queue) && queue.TryDequeue(out var entry))
        {
            raised = entry.Event;
            _completionsDelivered++;
            return true;
        }

        raised = null!;
        return false;
    }

    private static Task<T> FromJson<T>(string? json)
    {
        var source = new TaskCompletionSource<T>();
        SetFromJson(source, json);
        return source.Task;
    }

    private void Register(int id, Func<HistoryEvent, bool> handler)
    {
        if (_earlyCompletions.Remove(id, out var early) && handler(early))
        {
            _resolvedTasks.Add(id);
            _completionsDelivered++;
            return;
        }

        _openTasks[id] = handler;
    }

    private void AddAction(WorkflowAction action)
    {
        _actionsCreated++;

        // After the first completion, further actions would be ignored by the engine; keep them out.
        if (_completion is null)
        {
            _pendingActions.Add(action.Id, action);
        }
    }

    private bool SetCompletion(OrchestrationStatus status, string? result, FailureDetails? failure)
    {
        if (_completion is not null)
        {
            return false;
        }

        _completion = new CompleteWorkflowAction(_nextActionId++, status, result, failure, []);
        return true;
    }

    private void EnsureOnTurnThread()
    {
        if (!_scheduler.IsOnTurnThread)
        {
            throw new InvalidOperationException(
                $"Workflow '{Name}' (instance '{InstanceId}') used its WorkflowContext outside the workflow's turn " +
                "(from another thread, after ConfigureAwait(false), or after the turn ended). Only call the context from the workflow code path.");
        }
    }

    private static bool NamesEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static string Describe(WorkflowAction action) => action switch
    {
        ScheduleTaskAction s => $"CallActivityAsync(\"{s.Name}\")",
        CreateChildWorkflowAction c => $"CallChildWorkflowAsync(\"{c.Name}\", instance \"{c.InstanceId}\")",
        CreateTimerAction { Origin.Kind: TimerOriginKind.ExternalEvent } t => $"the timeout timer of WaitForExternalEventAsync(\"{t.Origin.EventName}\")",
        CreateTimerAction { Origin.Kind: TimerOriginKind.ActivityRetry or TimerOriginKind.ChildWorkflowRetry } => "a retry-delay timer",
        CreateTimerAction t => $"CreateTimer(fireAt {t.FireAt:O})",
        SendEventAction s => $"SendEvent(\"{s.InstanceId}\", \"{s.Name}\")",
        _ => action.GetType().Name,
    };

    private static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduledEvent s => $"TaskScheduled (CallActivityAsync(\"{s.Name}\"))",
        ChildWorkflowInstanceCreatedEvent c => $"ChildWorkflowInstanceCreated (CallChildWorkflowAsync(\"{c.Name}\"))",
        TimerCreatedEvent t => $"TimerCreated (a timer firing at {t.FireAt:O})",
        EventSentEvent s => $"EventSent (SendEvent(\"{s.InstanceId}\", \"{s.Name}\"))",
        _ => e.GetType().Name,
    };
}
