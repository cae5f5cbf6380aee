namespace HpcK8s.Workflows.Jobs;

/// <summary>
/// Hands out the tasks added to it in the order they complete, at a constant cost per task. It replaces a loop of
/// <c>Task.WhenAny(running)</c>, which registers and removes a continuation on every running task each time round,
/// so a batch of n tasks cost O(n²).
/// </summary>
/// <remarks>
/// Workflow-safe: completions arrive on the workflow's scheduler (one history event at a time, continuations inline),
/// so the order is the order of the completion events, which is also what <c>Task.WhenAny</c> gives there. One
/// <see cref="NextAsync"/> may be outstanding at a time.
/// </remarks>
internal sealed class CompletionQueue
{
    private readonly Queue<Task> _completed = new();
    private TaskCompletionSource<Task>? _waiter;

    /// <summary>Tasks added and not yet handed out.</summary>
    public int Count { get; private set; }

    /// <summary>Watches <paramref name="task"/>; it is handed out by <see cref="NextAsync"/> once it completes.</summary>
    public void Add(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Count++;
        _ = ObserveAsync(task);
    }

    /// <summary>The next task to complete (already completed ones first, in completion order).</summary>
    /// <exception cref="InvalidOperationException">Nothing is left to wait for, or a wait is already outstanding.</exception>
    public Task<Task> NextAsync()
    {
        if (Count == 0 || _waiter is not null)
        {
            throw new InvalidOperationException(Count == 0 ? "no task left to wait for" : "a NextAsync is already outstanding");
        }

        Count--;
        if (_completed.TryDequeue(out var done))
        {
            return Task.FromResult(done);
        }

        _waiter = new TaskCompletionSource<Task>();
        return _waiter.Task;
    }

    // Failures and cancellations are the receiver's business (it awaits the task it gets), hence SuppressThrowing;
    // the captured context keeps the continuation on the workflow scheduler.
    private async Task ObserveAsync(Task task)
    {
        await task.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        if (_waiter is { } waiter)
        {
            _waiter = null;
            waiter.SetResult(task);
        }
        else
        {
            _completed.Enqueue(task);
        }
    }
}
