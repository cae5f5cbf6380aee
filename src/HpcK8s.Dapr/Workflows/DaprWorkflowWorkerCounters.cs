namespace HpcK8s.Dapr.Workflows;

/// <summary>What a <see cref="DaprWorkflowWorker"/> has done since it started; safe to read from any thread.</summary>
public sealed class DaprWorkflowWorkerCounters
{
    private long _streamsOpened;
    private long _reconnects;
    private long _workflowWorkItems;
    private long _activityWorkItems;
    private long _completionFailures;
    private long _droppedWorkItems;

    /// <summary>How many GetWorkItems streams were opened.</summary>
    public long StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>How many times the worker had to reconnect after a stream error or end it did not cause.</summary>
    public long Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>How many workflow work items arrived.</summary>
    public long WorkflowWorkItems => Volatile.Read(ref _workflowWorkItems);

    /// <summary>How many activity work items arrived.</summary>
    public long ActivityWorkItems => Volatile.Read(ref _activityWorkItems);

    /// <summary>How many Complete*Task calls failed (logged, never retried: daprd re-dispatches the work item).</summary>
    public long CompletionFailures => Volatile.Read(ref _completionFailures);

    /// <summary>How many work items were not run because their stream was lost or the worker was stopping.</summary>
    public long DroppedWorkItems => Volatile.Read(ref _droppedWorkItems);

    internal void StreamOpened() => Interlocked.Increment(ref _streamsOpened);

    internal void Reconnected() => Interlocked.Increment(ref _reconnects);

    internal void WorkflowWorkItem() => Interlocked.Increment(ref _workflowWorkItems);

    internal void ActivityWorkItem() => Interlocked.Increment(ref _activityWorkItems);

    internal void CompletionFailed() => Interlocked.Increment(ref _completionFailures);

    internal void Dropped() => Interlocked.Increment(ref _droppedWorkItems);
}
