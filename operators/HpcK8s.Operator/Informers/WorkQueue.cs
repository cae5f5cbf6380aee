namespace HpcK8s.Operator.Informers;

/// <summary>A work queue of keys with client-go's guarantees: duplicates collapse, a key is never handed to two
/// workers at once, a key added while it is being processed comes back after <see cref="Done"/>, delayed adds
/// (<see cref="AddAfter"/>) and per-key exponential back-off (<see cref="AddRateLimited"/>).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <remarks>
/// <para>Life of a key: <see cref="Add"/> makes it <em>dirty</em> and, unless it is being processed, <em>ready</em>;
/// <see cref="GetAsync"/> hands out the oldest ready key and marks it <em>processing</em>; <see cref="Done"/> ends
/// processing and puts it back as ready if it was added meanwhile. So every <see cref="Add"/> is followed by at least
/// one hand-out that starts after it, and the handlers of one key never overlap.</para>
/// <para>Thread-safe. After <see cref="ShutDown"/>, adds are ignored and <see cref="GetAsync"/> hands out what is
/// still ready, then answers <c>Ok = false</c>.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "client-go's name (workqueue); it is a queue.")]
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    /// <summary>Longest delay a timer can hold (about 49 days); longer delays are cut to this.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock _lock = new();
    private readonly Queue<TKey> _ready = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, long> _waiting = [];
    private readonly PriorityQueue<TKey, long> _waitingByDue = new();
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly List<TaskCompletionSource<bool>> _getters = [];
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private long _timerDue = long.MaxValue;
    private bool _shuttingDown;
    private bool _disposed;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="baseDelay">First <see cref="AddRateLimited"/> delay; doubles per requeue of the same key. Default 5 ms.</param>
    /// <param name="maxDelay">Longest <see cref="AddRateLimited"/> delay. Default 5 minutes.</param>
    /// <param name="time">Clock for delays; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A delay is not positive, or <paramref name="maxDelay"/> is shorter than <paramref name="baseDelay"/>.</exception>
    public WorkQueue(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, TimeProvider? time = null)
    {
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_baseDelay, TimeSpan.Zero, nameof(baseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _baseDelay, nameof(maxDelay));
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(static state => ((WorkQueue<TKey>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys ready to be handed out now (not counting keys being processed or waiting for a delay).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Keys waiting for an <see cref="AddAfter"/> or <see cref="AddRateLimited"/> delay.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Keys handed out and not yet <see cref="Done"/>.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Whether <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> for processing. A key already waiting to be handed out is not added twice;
    /// a key being processed is handed out again after its <see cref="Done"/>. Ignored after <see cref="ShutDown"/>.</summary>
    /// <param name="key">The key.</param>
    public void Add(TKey key)
    {
        lock (_lock)
        {
            AddLocked(key);
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed. If the key is already waiting, the
    /// earlier of the two times wins. A delay of zero or less adds at once.</summary>
    /// <param name="key">The key.</param>
    /// <param name="delay">How long to wait.</param>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (_lock)
        {
            AddAfterLocked(key, delay);
        }
    }

    /// <summary>Adds <paramref name="key"/> after its back-off delay, <c>baseDelay·2ⁿ</c> capped at <c>maxDelay</c>,
    /// where n is how often it was rate-limited since its last <see cref="Forget"/>.</summary>
    /// <param name="key">The key.</param>
    public void AddRateLimited(TKey key)
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures == int.MaxValue ? failures : failures + 1;
            AddAfterLocked(key, Backoff.Ceiling(_baseDelay, _maxDelay, failures));
        }
    }

    /// <summary>Clears the key's back-off history (after a success), so the next <see cref="AddRateLimited"/> waits
    /// only the base delay. Does not remove the key from the queue.</summary>
    /// <param name="key">The key.</param>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>How often <paramref name="key"/> was rate-limited since its last <see cref="Forget"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The count.</returns>
    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for a ready key and marks it as being processed; the caller must call <see cref="Done"/> with it.</summary>
    /// <param name="cancellationToken">Stops waiting (throws <see cref="OperationCanceledException"/>); a cancelled
    /// call never takes a key.</param>
    /// <returns><c>(true, key)</c>, or <c>(false, default)</c> once shut down and no key is ready.</returns>
    public async Task<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource<bool> getter;
            lock (_lock)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // This caller may have been woken for a key it will not take: pass the wake-up on.
                    WakeOneLocked();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return (true, key);
                }

                if (_shuttingDown)
                {
                    return (false, default!);
                }

                getter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _getters.Add(getter);
            }

            using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), getter))
            {
                await getter.Task.ConfigureAwait(false);
            }

            lock (_lock)
            {
                _getters.Remove(getter);
            }
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile it becomes ready again.</summary>
    /// <param name="key">A key from <see cref="GetAsync"/>.</param>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            if (_processing.Remove(key) && _dirty.Contains(key))
            {
                _ready.Enqueue(key);
                WakeOneLocked();
            }
        }
    }

    /// <summary>Stops accepting keys and drops pending delays; waiting <see cref="GetAsync"/> calls take what is still
    /// ready, then answer <c>Ok = false</c>.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            _waiting.Clear();
            _waitingByDue.Clear();
            _timerDue = long.MaxValue;
            if (!_disposed)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            foreach (var getter in _getters)
            {
                getter.TrySetResult(true);
            }

            _getters.Clear();
        }
    }

    /// <summary>Shuts the queue down and releases its timer.</summary>
    public void Dispose()
    {
        ShutDown();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        if (!_processing.Contains(key))
        {
            _ready.Enqueue(key);
            WakeOneLocked();
        }
    }

    private void AddAfterLocked(TKey key, TimeSpan delay)
    {
        if (_shuttingDown)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            AddLocked(key);
            return;
        }

        var due = _time.GetTimestamp() + ToTimestampTicks(delay < LongestDelay ? delay : LongestDelay);
        if (_waiting.TryGetValue(key, out var existing) && existing <= due)
        {
            return;
        }

        // The older entry stays in the heap and is skipped when popped (its due no longer matches _waiting).
        _waiting[key] = due;
        _waitingByDue.Enqueue(key, due);
        if (due < _timerDue)
        {
            ArmTimerLocked(due);
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            _timerDue = long.MaxValue;
            if (_shuttingDown)
            {
                return;
            }

            var now = _time.GetTimestamp();
            while (_waitingByDue.TryPeek(out var key, out var due))
            {
                if (!_waiting.TryGetValue(key, out var current) || current != due)
                {
                    _waitingByDue.Dequeue();
                    continue;
                }

                if (due > now)
                {
                    ArmTimerLocked(due);
                    return;
                }

                _waitingByDue.Dequeue();
                _waiting.Remove(key);
                AddLocked(key);
            }
        }
    }

    private void ArmTimerLocked(long due)
    {
        if (_disposed)
        {
            return;
        }

        _timerDue = due;

        // Whole milliseconds, rounded up: timers have millisecond resolution, and firing early would only re-arm.
        var ticks = Math.Max(0, (long)((due - _time.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency));
        _timer.Change(TimeSpan.FromMilliseconds(Math.Ceiling(ticks / (double)TimeSpan.TicksPerMillisecond)), Timeout.InfiniteTimeSpan);
    }

    private long ToTimestampTicks(TimeSpan delay) => (long)(delay.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private void WakeOneLocked()
    {
        // A getter whose caller gave up is completed already: skip it and wake a live one.
        while (_getters.Count > 0)
        {
            var getter = _getters[0];
            _getters.RemoveAt(0);
            if (getter.TrySetResult(true))
            {
                return;
            }
        }
    }
}
