namespace HpcK8s.Operator.Informers;

/// <summary>Exponential back-off with "equal jitter": the n-th delay in a row is drawn from
/// [max(<c>min</c>, d/2), d] where d = min(<c>min</c>·2ⁿ, <c>max</c>). Delays grow on average, never leave
/// [<c>min</c>, <c>max</c>], and retries of many clients spread out even at the cap.</summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    /// <summary>Failures in a row since the last <see cref="Reset"/>.</summary>
    public int Failures => _failures;

    /// <summary>The delay before the next retry; counts one more failure.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(min, max, _failures);
        if (_failures < int.MaxValue)
        {
            _failures++;
        }

        // Jitter is for spreading load, not for security.
#pragma warning disable CA5394
        var delay = ceiling / 2 + ceiling / 2 * _random.NextDouble();
#pragma warning restore CA5394
        return delay < min ? min : delay;
    }

    /// <summary>Back to the shortest delay (after a healthy watch).</summary>
    public void Reset() => _failures = 0;

    /// <summary>min·2^failures, capped at max, without overflowing.</summary>
    public static TimeSpan Ceiling(TimeSpan min, TimeSpan max, int failures)
    {
        if (failures >= 62)
        {
            return max;
        }

        var ticks = min.Ticks;
        for (var i = 0; i < failures && ticks < max.Ticks; i++)
        {
            ticks = ticks > long.MaxValue / 2 ? long.MaxValue : ticks * 2;
        }

        return ticks >= max.Ticks ? max : TimeSpan.FromTicks(ticks);
    }
}
