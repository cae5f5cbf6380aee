using HpcK8s.Workflows.History;

namespace HpcK8s.Workflows.Local;

/// <summary>
/// Starts, queries and controls workflow instances of a local engine's state directory. Works from the engine's
/// own process (the engine is woken at once) and from any other (the engine picks up their events within its poll
/// interval).
/// </summary>
public sealed class LocalWorkflowClient : IDisposable
{
    private readonly SqliteWorkflowStore _store;
    private readonly TimeProvider _time;

    /// <summary>Opens the state directory's database (creating it when absent).</summary>
    public LocalWorkflowClient(string stateDirectory, TimeProvider? timeProvider = null)
    {
        _store = new SqliteWorkflowStore(LocalEngineOptions.DatabasePath(stateDirectory));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();

    /// <summary>Starts workflow <paramref name="name"/> as <paramref name="instanceId"/>.</summary>
    /// <exception cref="InvalidOperationException">An instance with that id is still running.</exception>
    /// <remarks>As in Dapr, the id of a finished instance may be reused: its old history is discarded.</remarks>
    public void StartWorkflow(string name, string instanceId, object? input)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var existing = _store.GetInstance(instanceId);
        if (existing is not null && !existing.IsTerminal)
        {
            throw new InvalidOperationException($"workflow instance '{instanceId}' already exists and is {existing.Status}");
        }

        if (existing is not null)
        {
            Purge(instanceId, recursive: true, force: true);
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var json = WorkflowJson.Serialize(input);
        var batch = new StoreBatch();
        batch.Instances.Add(new WorkflowInstanceState(instanceId, name, OrchestrationStatus.Pending, json, null, null, null, null, now, now));
        batch.Inbox.Add((instanceId, new ExecutionStartedEvent(HistoryEvent.NoEventId, now, name, instanceId, Guid.NewGuid().ToString("N"), json, null), null));
        _store.Commit(batch);
        LocalWorkflowEngine.NotifyInbox(_store.Path);
    }

    /// <summary>The instance's state, or null when there is none.</summary>
    public WorkflowInstanceState? GetInstance(string instanceId) => _store.GetInstance(instanceId);

    /// <summary>All instances (or the children of <paramref name="parentInstanceId"/>), oldest first.</summary>
    public IReadOnlyList<WorkflowInstanceState> ListInstances(string? parentInstanceId = null) => _store.ListInstances(parentInstanceId);

    /// <summary>The instance's recorded history (for inspection and tests).</summary>
    public IReadOnlyList<HistoryEvent> GetHistory(string instanceId) => _store.LoadHistory(instanceId);

    /// <summary>Delivers an external event to a running instance.</summary>
    public void RaiseEvent(string instanceId, string eventName, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        RequireActive(instanceId);
        _store.Enqueue(instanceId, new EventRaisedEvent(HistoryEvent.NoEventId, Now, eventName, WorkflowJson.Serialize(payload)));
        LocalWorkflowEngine.NotifyInbox(_store.Path);
    }

    /// <summary>Suspends the instance and, when <paramref name="recursive"/>, every active descendant.</summary>
    public void Suspend(string instanceId, string? reason = null, bool recursive = true) =>
        ForTree(instanceId, recursive, id => new ExecutionSuspendedEvent(HistoryEvent.NoEventId, Now, reason));

    /// <summary>Resumes a suspended instance and, when <paramref name="recursive"/>, every active descendant.</summary>
    public void Resume(string instanceId, string? reason = null, bool recursive = true) =>
        ForTree(instanceId, recursive, id => new ExecutionResumedEvent(HistoryEvent.NoEventId, Now, reason));

    /// <summary>Terminates the instance and, when <paramref name="recursive"/>, every active descendant.</summary>
    public void Terminate(string instanceId, object? output = null, bool recursive = true) =>
        ForTree(instanceId, recursive, id => new ExecutionTerminatedEvent(HistoryEvent.NoEventId, Now, WorkflowJson.Serialize(output), recursive));

    /// <summary>Deletes a finished instance (and its descendants) with all its history.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="recursive">Also delete its descendants.</param>
    /// <param name="force">Delete even an active instance: only when no engine runs on this state directory.</param>
    /// <returns>False when there was no such instance.</returns>
    /// <exception cref="InvalidOperationException">The instance is still active and <paramref name="force"/> is false.</exception>
    public bool Purge(string instanceId, bool recursive = true, bool force = false)
    {
        var state = _store.GetInstance(instanceId);
        if (state is null)
        {
            return false;
        }

        if (!state.IsTerminal && !force)
        {
            throw new InvalidOperationException($"workflow instance '{instanceId}' is {state.Status}; terminate it before purging");
        }

        // Materialised first: the store deletes inside a transaction that the lazy walk must not run in.
        _store.Purge(recursive ? [instanceId, .. Descendants(instanceId)] : [instanceId]);
        return true;
    }

    /// <summary>Waits until the instance is finished, polling its state.</summary>
    public async Task<WorkflowInstanceState> WaitForCompletionAsync(string instanceId, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = _store.GetInstance(instanceId) ?? throw new InvalidOperationException($"workflow instance '{instanceId}' does not exist");
            if (state.IsTerminal)
            {
                return state;
            }

            await Task.Delay(pollInterval, _time, cancellationToken);
        }
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private void RequireActive(string instanceId)
    {
        var state = _store.GetInstance(instanceId) ?? throw new InvalidOperationException($"workflow instance '{instanceId}' does not exist");
        if (state.IsTerminal)
        {
            throw new InvalidOperationException($"workflow instance '{instanceId}' is already {state.Status}");
        }
    }

    private void ForTree(string instanceId, bool recursive, Func<string, HistoryEvent> create)
    {
        RequireActive(instanceId);
        _store.Enqueue(instanceId, create(instanceId));
        if (recursive)
        {
            foreach (var child in Descendants(instanceId))
            {
                if (_store.GetInstance(child) is { IsTerminal: false })
                {
                    _store.Enqueue(child, create(child));
                }
            }
        }

        LocalWorkflowEngine.NotifyInbox(_store.Path);
    }

    private IEnumerable<string> Descendants(string instanceId)
    {
        var pending = new Queue<string>([instanceId]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in _store.ListInstances(parent))
            {
                yield return child.InstanceId;
                pending.Enqueue(child.InstanceId);
            }
        }
    }
}
