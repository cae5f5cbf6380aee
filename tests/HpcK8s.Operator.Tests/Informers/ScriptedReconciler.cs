using System.Diagnostics;
using HpcK8s.Operator.Informers;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>One reconcile call as the reconciler saw it.</summary>
/// <param name="Key">The key.</param>
/// <param name="Attempt">1 for the first call with this key, 2 for the second, ...</param>
/// <param name="At">When it started (Stopwatch time since the reconciler was made).</param>
public sealed record ReconcileCall(ObjectKey Key, int Attempt, TimeSpan At);

/// <summary>A reconciler whose behaviour a test scripts; records every call and whether calls for one key overlapped.</summary>
public sealed class ScriptedReconciler(Func<ReconcileCall, CancellationToken, Task<ReconcileResult>>? behaviour = null) : IReconciler
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private readonly List<ReconcileCall> _calls = [];
    private readonly Dictionary<ObjectKey, int> _inFlight = [];

    public bool Overlapped { get; private set; }

    public IReadOnlyList<ReconcileCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<ReconcileCall> CallsFor(ObjectKey key) => [.. Calls.Where(c => c.Key == key)];

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ReconcileCall call;
        lock (_lock)
        {
            call = new ReconcileCall(key, _calls.Count(c => c.Key == key) + 1, Stopwatch.GetElapsedTime(_start));
            _calls.Add(call);
            var inFlight = _inFlight.GetValueOrDefault(key) + 1;
            _inFlight[key] = inFlight;
            Overlapped |= inFlight > 1;
        }

        try
        {
            return behaviour is null ? ReconcileResult.Done : await behaviour(call, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _inFlight[key]--;
            }
        }
    }
}
