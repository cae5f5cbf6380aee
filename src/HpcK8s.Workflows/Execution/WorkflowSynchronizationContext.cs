namespace HpcK8s.Workflows.Execution;

/// <summary>
/// The deterministic single-threaded scheduler a workflow turn runs on.
/// </summary>
/// <remarks>
/// <para>While a turn runs this is <see cref="SynchronizationContext.Current"/>, so every <c>await</c> in workflow
/// code captures it. Completing a task's source on the turn's thread runs the awaiting continuation inline (the
/// runtime inlines when the captured context is the current one); anything else that posts here (for example
/// <c>Task.Yield</c>) is queued and run by <see cref="RunPending"/> on the same thread, in posting order.</para>
/// <para>A post from another thread means workflow code awaited something outside the workflow's control
/// (<c>Task.Run</c>, <c>Task.Delay</c>, I/O). Such posts are dropped and counted, and the executor fails the
/// instance as non-deterministic rather than letting timing decide what the code does.</para>
/// </remarks>
internal sealed class WorkflowSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private int _threadId = Environment.CurrentManagedThreadId;
    private volatile bool _closed;
    private int _foreignPosts;

    /// <summary>How many queued callbacks have run.</summary>
    public int CallbacksRun { get; private set; }

    /// <summary>Whether anything was posted from another thread, or after the turn ended.</summary>
    public bool HasForeignPosts => Volatile.Read(ref _foreignPosts) > 0;

    /// <summary>Whether the caller is the turn's thread and the turn is still running.</summary>
    public bool IsOnTurnThread => !_closed && Environment.CurrentManagedThreadId == _threadId;

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!IsOnTurnThread)
        {
            Interlocked.Increment(ref _foreignPosts);
            return;
        }

        _queue.Enqueue((d, state));
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!IsOnTurnThread)
        {
            Interlocked.Increment(ref _foreignPosts);
            return;
        }

        d(state);
    }

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued callbacks, including ones they queue, until the queue is empty.</summary>
    public void RunPending()
    {
        while (_queue.TryDequeue(out var item))
        {
            CallbacksRun++;
            item.Callback(item.State);
        }
    }

    /// <summary>Starts a further turn on the calling thread (a cached execution's next turn).</summary>
    /// <remarks>Posts made between turns stay counted in <see cref="HasForeignPosts"/>.</remarks>
    public void Open()
    {
        _threadId = Environment.CurrentManagedThreadId;
        CallbacksRun = 0;
        _closed = false;
    }

    /// <summary>Ends the turn: later posts are dropped.</summary>
    public void Close()
    {
        _closed = true;
        _queue.Clear();
    }
}
