using System.Collections.Concurrent;
using System.Threading.Channels;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcK8s.Workflows.Local;

/// <summary>
/// An in-process durable workflow engine that behaves like daprd's: the same replay executor, history written
/// to SQLite, activities on a pool of worker threads, durable timers. Killed at any instant, it resumes from the
/// last committed batch: finished activities are never run again, running ones run again (at least once).
/// </summary>
/// <remarks>
/// One loop thread owns all workflow state. Each iteration gathers activity completions, due timers and events
/// from other processes, runs one turn per instance that has new events, commits every change in one
/// transaction, and only then dispatches the activities those turns scheduled.
/// </remarks>
public sealed partial class LocalWorkflowEngine : IAsyncDisposable
{
    // Events (completions taken, history rows written) per iteration, roughly: bounds the memory one transaction holds
    // and lets the activities of early turns start while later turns still run. Instances left over go first next time.
    private const int EventsPerIteration = 8192;

    // Engines of this process by database path, so that a client in the same process can wake one at once instead of
    // leaving its event to the next poll (hpck8s run starts the engine, then the job).
    private static readonly ConcurrentDictionary<string, LocalWorkflowEngine> Running = new(StringComparer.Ordinal);

    private readonly WorkflowRegistry _registry;
    private readonly LocalEngineOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SqliteWorkflowStore _store;
    private readonly FileStream _lock;
    private readonly Channel<ActivityRow> _work = Channel.CreateUnbounded<ActivityRow>(new() { SingleWriter = true });
    private readonly Channel<(ActivityRow Row, HistoryEvent Event)> _completions = Channel.CreateUnbounded<(ActivityRow, HistoryEvent)>();
    private readonly Dictionary<string, LiveInstance> _live = new(StringComparer.Ordinal);
    private readonly LinkedList<LiveInstance> _cachedExecutions = new();

    // Instances with events for their next turn, in the order they got their first one.
    private readonly Queue<LiveInstance> _ready = new();
    private readonly PriorityQueue<InboxRow, DateTime> _timers = new();
    private readonly HashSet<long> _ownInbox = [];
    private readonly List<long> _droppedInbox = [];

    // Suspended instances, each with the activities a worker took from the queue but held back: suspending a
    // job means no new shard starts, so queued work waits here until the instance resumes (or ends).
    private readonly ConcurrentDictionary<string, List<ActivityRow>> _suspended = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _workers = [];
    private long _inboxCursor;
    private DateTime _lastPoll = DateTime.MinValue;
    private volatile bool _inboxChanged;
    private readonly Lock _waitLock = new();
    private CancellationTokenSource? _waiting;
    private Task? _loop;

    private LocalWorkflowEngine(WorkflowRegistry registry, LocalEngineOptions options, ILoggerFactory loggerFactory, FileStream lockFile)
    {
        _registry = registry;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalWorkflowEngine>();
        _lock = lockFile;
        _store = new SqliteWorkflowStore(LocalEngineOptions.DatabasePath(options.StateDirectory));
    }

    /// <summary>The SQLite file holding the engine's state.</summary>
    public string DatabasePath => _store.Path;

    /// <summary>Activities found scheduled but not completed when the engine opened (they run again).</summary>
    public int RecoveredActivities { get; private set; }

    /// <summary>Instances that were in flight when the engine opened.</summary>
    public int RecoveredInstances { get; private set; }

    /// <summary>Turns run since start.</summary>
    public long Turns { get; private set; }

    /// <summary>Turns since start that replayed their instance's whole history (the rest continued a cached execution).</summary>
    public long FullReplays { get; private set; }

    /// <summary>Opens the engine on <see cref="LocalEngineOptions.StateDirectory"/>, recovers in-flight work and starts it.</summary>
    /// <exception cref="InvalidOperationException">Another process is running an engine on the same directory.</exception>
    public static LocalWorkflowEngine Start(WorkflowRegistry registry, LocalEngineOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxCachedExecutions);
        Directory.CreateDirectory(options.StateDirectory);
        var lockPath = Path.Combine(options.StateDirectory, "engine.lock");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"another hpck8s engine is running on {Path.GetFullPath(options.StateDirectory)} (lock {lockPath} is held); wait for it, stop it, or use another --state-dir", e);
        }

        var engine = new LocalWorkflowEngine(registry, options, loggerFactory ?? NullLoggerFactory.Instance, lockFile);
        try
        {
            engine.Recover();
        }
        catch
        {
            engine._store.Dispose();
            lockFile.Dispose();
            throw;
        }

        for (var i = 0; i < options.Workers; i++)
        {
            var thread = new Thread(engine.WorkerLoop) { IsBackground = true, Name = $"hpck8s-activity-{i}" };
            engine._workers.Add(thread);
            thread.Start();
        }

        engine._loop = Task.Factory.StartNew(engine.RunLoop, TaskCreationOptions.LongRunning);
        Running[Path.GetFullPath(engine.DatabasePath)] = engine;
        return engine;
    }

    /// <summary>Stops the engine: no new turn or activity starts; activities still running are abandoned and will
    /// run again next time. Everything committed stays.</summary>
    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(new KeyValuePair<string, LocalWorkflowEngine>(Path.GetFullPath(DatabasePath), this));
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _work.Writer.TryComplete();
        foreach (var worker in _workers)
        {
            worker.Join(TimeSpan.FromSeconds(5));
        }

        _store.Dispose();
        await _lock.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>The loop's failure, if it stopped on an error (the engine then runs nothing more).</summary>
    public Exception? Fault => _loop?.Exception?.InnerException;

    /// <summary>Tells the engine of this process running on <paramref name="databasePath"/>, if any, that its inbox
    /// has new rows, so it reads them now rather than at its next poll.</summary>
    internal static void NotifyInbox(string databasePath)
    {
        if (Running.TryGetValue(Path.GetFullPath(databasePath), out var engine))
        {
            engine._inboxChanged = true;
            lock (engine._waitLock)
            {
                engine._waiting?.Cancel();
            }
        }
    }

    private void Recover()
    {
        foreach (var instance in _store.ListInstances(onlyActive: true))
        {
            var history = _store.LoadHistory(instance.InstanceId);
            _live[instance.InstanceId] = new LiveInstance(instance, history);
        }

        RecoveredInstances = _live.Count;
        foreach (var instance in _live.Values.Where(i => i.State.Status == OrchestrationStatus.Suspended))
        {
            _suspended.TryAdd(instance.State.InstanceId, []);
        }

        foreach (var row in _store.LoadInbox(0))
        {
            _inboxCursor = Math.Max(_inboxCursor, row.Id);
            Accept(row, _options.TimeProvider.GetUtcNow().UtcDateTime, null);
        }

        // Scheduled and not completed = TaskScheduled in history without its TaskCompleted/TaskFailed: a completion
        // is always committed with its instance's turn, in the same transaction, so history alone tells.
        var activities = _live.Values.SelectMany(i => UnfinishedActivities(i.State.InstanceId, i.History!)).ToList();
        RecoveredActivities = activities.Count;
        _store.ClearActivities();
        foreach (var row in activities)
        {
            _work.Writer.TryWrite(row);
        }

        LogRecovered(_live.Count, activities.Count);
    }

    private static IEnumerable<ActivityRow> UnfinishedActivities(string instanceId, List<HistoryEvent> history)
    {
        var finished = new HashSet<int>();
        foreach (var e in history)
        {
            if (e is TaskCompletedEvent completed)
            {
                finished.Add(completed.TaskScheduledId);
            }
            else if (e is TaskFailedEvent failed)
            {
                finished.Add(failed.TaskScheduledId);
            }
        }

        return history.OfType<TaskScheduledEvent>()
            .Where(s => !finished.Contains(s.EventId))
            .Select(s => new ActivityRow(instanceId, s.EventId, s.Name, s.Input, s.TaskExecutionId));
    }

    private void RunLoop()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                WaitForWork(token);
                if (token.IsCancellationRequested)
                {
                    break;
                }

                Iterate();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown: whatever was committed stays; the rest is redone on the next start.
        }
        catch (Exception e)
        {
            LogLoopFailed(e);
            throw;
        }
    }

    private void WaitForWork(CancellationToken token)
    {
        if (_droppedInbox.Count > 0 || _ready.Count > 0 || _completions.Reader.Count > 0 || _inboxChanged)
        {
            return;
        }

        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        var wait = _options.PollInterval;
        if (_timers.TryPeek(out _, out var due))
        {
            wait = TimeSpan.FromTicks(Math.Clamp((due - now).Ticks, 0, wait.Ticks));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        lock (_waitLock)
        {
            _waiting = timeout;
        }

        try
        {
            if (_inboxChanged)
            {
                return;
            }

            timeout.CancelAfter(wait);
            _completions.Reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // The wait ran out, or a client of this process wrote to the inbox: look at timers and the inbox.
        }
        finally
        {
            lock (_waitLock)
            {
                _waiting = null;
            }
        }
    }

    private void Iterate()
    {
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        var batch = new StoreBatch();
        batch.ConsumedInbox.AddRange(_droppedInbox);
        _droppedInbox.Clear();
        for (var taken = 0; taken < EventsPerIteration && _completions.Reader.TryRead(out var completion); taken++)
        {
            if (_live.TryGetValue(completion.Row.InstanceId, out var instance))
            {
                AddPending(instance, null, completion.Event);
            }
        }

        while (_timers.TryPeek(out var timer, out var due) && due <= now)
        {
            _timers.Dequeue();
            Accept(timer with { VisibleAt = null }, now, batch);
        }

        if (_inboxChanged || now - _lastPoll >= _options.PollInterval)
        {
            _inboxChanged = false;
            _lastPoll = now;
            foreach (var row in _store.LoadInbox(_inboxCursor))
            {
                _inboxCursor = Math.Max(_inboxCursor, row.Id);
                if (!_ownInbox.Remove(row.Id))
                {
                    Accept(row, now, batch);
                }
            }

            _ownInbox.RemoveWhere(id => id <= _inboxCursor);
        }

        var dispatch = new List<ActivityRow>();
        while (batch.History.Count < EventsPerIteration && _ready.TryDequeue(out var instance))
        {
            // Skip entries of instances that finished or were replaced since they were queued.
            if (instance.Pending.Count > 0 && _live.TryGetValue(instance.State.InstanceId, out var current) && current == instance)
            {
                RunTurn(instance, now, batch, dispatch);
            }
        }

        if (batch.IsEmpty)
        {
            return;
        }

        var ids = _store.Commit(batch);
        for (var i = 0; i < ids.Count; i++)
        {
            var (instanceId, e, visibleAt) = batch.Inbox[i];
            _ownInbox.Add(ids[i]);
            Accept(new InboxRow(ids[i], instanceId, e, visibleAt), now, null);
        }

        foreach (var state in batch.Instances)
        {
            TrackSuspension(state);
        }

        foreach (var instance in _live.Values.Where(i => i.State.IsTerminal).ToList())
        {
            _live.Remove(instance.State.InstanceId);
            Uncache(instance);
        }

        foreach (var row in dispatch)
        {
            _work.Writer.TryWrite(row);
        }
    }

    // Routes an inbox row: a future timer waits in the heap; an event for a live instance joins its next turn;
    // an ExecutionStarted brings its instance to life; anything else (instance finished or gone) is dropped.
    private void Accept(InboxRow row, DateTime now, StoreBatch? batch)
    {
        if (row.VisibleAt is { } at && at > now)
        {
            _timers.Enqueue(row, at);
            return;
        }

        if (!_live.TryGetValue(row.InstanceId, out var instance) && row.Event is ExecutionStartedEvent)
        {
            var state = _store.GetInstance(row.InstanceId);
            if (state is not null && !state.IsTerminal)
            {
                instance = new LiveInstance(state, []);
                _live[row.InstanceId] = instance;
            }
        }

        if (instance is null)
        {
            LogDropped(row.Event.GetType().Name, row.InstanceId);
            if (batch is null)
            {
                _droppedInbox.Add(row.Id);
            }
            else
            {
                batch.ConsumedInbox.Add(row.Id);
            }

            return;
        }

        AddPending(instance, row.Id, row.Event);
    }

    private void AddPending(LiveInstance instance, long? inboxId, HistoryEvent e)
    {
        if (instance.Pending.Count == 0)
        {
            _ready.Enqueue(instance);
        }

        instance.Pending.Add((inboxId, e));
    }

    private void RunTurn(LiveInstance instance, DateTime now, StoreBatch batch, List<ActivityRow> dispatch)
    {
        Turns++;
        var id = instance.State.InstanceId;
        var newEvents = new List<HistoryEvent>(instance.Pending.Count + 1) { new WorkflowStartedEvent(HistoryEvent.NoEventId, now) };
        foreach (var (inboxId, e) in instance.Pending)
        {
            newEvents.Add(e);
            if (inboxId is { } consumed)
            {
                batch.ConsumedInbox.Add(consumed);
            }
        }

        instance.Pending.Clear();
        var result = Execute(instance, newEvents);
        var appended = new List<HistoryEvent>(newEvents);
        var started = instance.Started ?? newEvents.OfType<ExecutionStartedEvent>().FirstOrDefault();
        foreach (var action in result.Actions)
        {
            switch (action)
            {
                case ScheduleTaskAction task:
                    appended.Add(new TaskScheduledEvent(task.Id, now, task.Name, task.Input, task.TaskExecutionId));
                    var row = new ActivityRow(id, task.Id, task.Name, task.Input, task.TaskExecutionId);
                    dispatch.Add(row);
                    break;
                case CreateTimerAction timer:
                    appended.Add(new TimerCreatedEvent(timer.Id, now, timer.FireAt, timer.Name, timer.Origin));
                    batch.Inbox.Add((id, new TimerFiredEvent(HistoryEvent.NoEventId, timer.FireAt, timer.FireAt, timer.Id), timer.FireAt));
                    break;
                case CreateChildWorkflowAction child:
                    appended.Add(new ChildWorkflowInstanceCreatedEvent(child.Id, now, child.InstanceId, child.Name, child.Input));
                    StartChild(child, instance, now, batch);
                    break;
                case SendEventAction send:
                    appended.Add(new EventSentEvent(send.Id, now, send.InstanceId, send.Name, send.Data));
                    batch.Inbox.Add((send.InstanceId, new EventRaisedEvent(HistoryEvent.NoEventId, now, send.Name, send.Data), null));
                    break;
                default:
                    break;
            }
        }

        var status = result.IsSuspended ? OrchestrationStatus.Suspended : OrchestrationStatus.Running;
        string? output = null;
        FailureDetails? failure = null;
        if (result.Completion is { } completion)
        {
            if (completion.Status == OrchestrationStatus.ContinuedAsNew)
            {
                ContinueAsNew(instance, completion, started, now, batch);
                return;
            }

            appended.Add(new ExecutionCompletedEvent(completion.Id, now, completion.Status, completion.Result, completion.FailureDetails));
            (status, output, failure) = (completion.Status, completion.Result, completion.FailureDetails);
            NotifyParent(started?.ParentInstance, completion, now, batch);
        }

        foreach (var e in appended)
        {
            batch.History.Add((id, instance.HistoryCount++, e));
            instance.History?.Add(e);
        }

        instance.Started ??= started;
        if (instance.Session is { } session)
        {
            session.Acknowledge(instance.HistoryCount);

            // The cached execution stands for the history now; it is read back from SQLite should a replay be needed.
            if (session.IsWarm)
            {
                instance.History = null;
            }
        }

        instance.State = instance.State with { Status = status, Output = output, Failure = failure, CustomStatus = result.CustomStatus, UpdatedAt = now };
        batch.Instances.Add(instance.State);
    }

    // A cached execution continues from where its last turn stopped; otherwise (first turn, evicted, caching off) the
    // whole history replays. Both give the same actions (WorkflowSession's contract).
    private WorkflowTurnResult Execute(LiveInstance instance, List<HistoryEvent> newEvents)
    {
        if (_options.MaxCachedExecutions == 0)
        {
            FullReplays++;
            return WorkflowExecutor.Execute(_registry, instance.State.InstanceId, instance.LoadHistory(_store), newEvents, _loggerFactory);
        }

        if (instance.Session is null)
        {
            instance.Session = new WorkflowSession(_registry, instance.State.InstanceId, _loggerFactory);
            instance.CacheEntry = _cachedExecutions.AddLast(instance);
            if (_cachedExecutions.Count > _options.MaxCachedExecutions)
            {
                Uncache(_cachedExecutions.First!.Value);
            }
        }
        else
        {
            _cachedExecutions.Remove(instance.CacheEntry!);
            _cachedExecutions.AddLast(instance.CacheEntry!);
        }

        if (instance.Session.TryContinue(instance.HistoryCount, newEvents, out var result))
        {
            return result;
        }

        FullReplays++;
        return instance.Session.Execute(instance.LoadHistory(_store), newEvents);
    }

    private void Uncache(LiveInstance instance)
    {
        if (instance.CacheEntry is { } entry)
        {
            _cachedExecutions.Remove(entry);
            instance.CacheEntry = null;
            instance.Session = null;
        }
    }

    private void StartChild(CreateChildWorkflowAction child, LiveInstance parent, DateTime now, StoreBatch batch)
    {
        var existing = _store.GetInstance(child.InstanceId);
        if (existing is not null)
        {
            // Reusing the id of an instance: Dapr restarts a finished one. Its old history goes.
            batch.ResetHistory.Add(child.InstanceId);
        }

        var state = new WorkflowInstanceState(child.InstanceId, child.Name, OrchestrationStatus.Pending, child.Input, null, null, null, parent.State.InstanceId, now, now);
        batch.Instances.Add(state);
        var parentInfo = new ParentInstanceInfo(child.Id, parent.State.Name, parent.State.InstanceId);
        batch.Inbox.Add((child.InstanceId, new ExecutionStartedEvent(HistoryEvent.NoEventId, now, child.Name, child.InstanceId, Guid.NewGuid().ToString("N"), child.Input, parentInfo), null));
        if (_live.TryGetValue(child.InstanceId, out var replaced))
        {
            Uncache(replaced);
        }

        _live[child.InstanceId] = new LiveInstance(state, []);
    }

    private static void NotifyParent(ParentInstanceInfo? parent, CompleteWorkflowAction completion, DateTime now, StoreBatch batch)
    {
        if (parent is null)
        {
            return;
        }

        HistoryEvent notice = completion.Status == OrchestrationStatus.Completed
            ? new ChildWorkflowInstanceCompletedEvent(HistoryEvent.NoEventId, now, parent.TaskScheduledId, completion.Result)
            : new ChildWorkflowInstanceFailedEvent(HistoryEvent.NoEventId, now, parent.TaskScheduledId,
                completion.FailureDetails ?? new FailureDetails("WorkflowTerminated", $"child workflow ended {completion.Status}"));
        batch.Inbox.Add((parent.InstanceId, notice, null));
    }

    private static void ContinueAsNew(LiveInstance instance, CompleteWorkflowAction completion, ExecutionStartedEvent? started, DateTime now, StoreBatch batch)
    {
        var id = instance.State.InstanceId;
        batch.ResetHistory.Add(id);
        batch.History.RemoveAll(h => h.InstanceId == id);
        instance.History = [];
        instance.HistoryCount = 0;
        instance.Started = null;
        instance.Session?.Reset();
        var restart = new ExecutionStartedEvent(HistoryEvent.NoEventId, now, instance.State.Name, id, Guid.NewGuid().ToString("N"), completion.Result, started?.ParentInstance);
        batch.Inbox.Add((id, restart, null));
        foreach (var carried in completion.CarryoverEvents)
        {
            batch.Inbox.Add((id, carried, null));
        }

        instance.State = instance.State with { Status = OrchestrationStatus.Running, Input = completion.Result, CustomStatus = null, UpdatedAt = now };
        batch.Instances.Add(instance.State);
    }

    private void TrackSuspension(WorkflowInstanceState state)
    {
        if (state.Status == OrchestrationStatus.Suspended)
        {
            _suspended.TryAdd(state.InstanceId, []);
            return;
        }

        if (!_suspended.TryRemove(state.InstanceId, out var parked))
        {
            return;
        }

        lock (parked)
        {
            // Resumed: the held activities run now. Ended: they are dropped (their results would be ignored).
            if (!state.IsTerminal)
            {
                foreach (var row in parked)
                {
                    _work.Writer.TryWrite(row);
                }
            }

            parked.Clear();
        }
    }

    // True when the row was held back because its instance is suspended.
    private bool Park(ActivityRow row)
    {
        if (!_suspended.TryGetValue(row.InstanceId, out var parked))
        {
            return false;
        }

        lock (parked)
        {
            // Re-checked under the lock: a resume removes the entry first, then drains the list under this lock.
            if (!_suspended.TryGetValue(row.InstanceId, out var current) || !ReferenceEquals(current, parked))
            {
                return false;
            }

            parked.Add(row);
            return true;
        }
    }

    private void WorkerLoop()
    {
        var token = _stop.Token;
        try
        {
            while (_work.Reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                if (!_work.Reader.TryRead(out var row) || Park(row))
                {
                    continue;
                }

                var result = ActivityExecutor.ExecuteAsync(_registry, row.Name, row.Input, row.InstanceId, row.TaskId, row.TaskExecutionId, token).GetAwaiter().GetResult();
                if (token.IsCancellationRequested)
                {
                    return;
                }

                var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
                HistoryEvent e = result.FailureDetails is null
                    ? new TaskCompletedEvent(HistoryEvent.NoEventId, now, row.TaskId, result.Output, row.TaskExecutionId)
                    : new TaskFailedEvent(HistoryEvent.NoEventId, now, row.TaskId, result.FailureDetails, row.TaskExecutionId);
                _completions.Writer.TryWrite((row, e));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown: an activity abandoned here is still in the activities table and runs again next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Instances} workflow instance(s) and {Activities} unfinished activity(ies)")]
    private partial void LogRecovered(int instances, int activities);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped {EventKind} for instance {InstanceId}: it is finished or does not exist")]
    private partial void LogDropped(string eventKind, string instanceId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The workflow engine loop failed and stopped")]
    private partial void LogLoopFailed(Exception exception);

    private sealed class LiveInstance(WorkflowInstanceState state, List<HistoryEvent> history)
    {
        public WorkflowInstanceState State { get; set; } = state;

        // The recorded history; null while a cached execution stands for it (committed, so SQLite has it all).
        public List<HistoryEvent>? History { get; set; } = history;

        public int HistoryCount { get; set; } = history.Count;

        public List<HistoryEvent> LoadHistory(SqliteWorkflowStore store) => History ??= store.LoadHistory(State.InstanceId);

        public List<(long? InboxId, HistoryEvent Event)> Pending { get; } = [];

        // The history's ExecutionStarted (parent info, for notifying the parent), found once.
        public ExecutionStartedEvent? Started { get; set; } = history.OfType<ExecutionStartedEvent>().FirstOrDefault();

        // The cached execution and its place in the least-recently-used order (null when not cached).
        public WorkflowSession? Session { get; set; }

        public LinkedListNode<LiveInstance>? CacheEntry { get; set; }
    }
}
