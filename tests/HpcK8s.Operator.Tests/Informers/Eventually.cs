using System.Diagnostics;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>Polls a condition until it holds or a deadline passes (never a sleep that asserts).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null) => TrueAsync(condition, () => because, timeout);

    /// <summary>As above, with a description computed only on failure (e.g. to show the state at the deadline).</summary>
    public static Task TrueAsync(Func<bool> condition, Func<string> because, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, timeout, TimeSpan.FromMilliseconds(5));

    /// <summary>Polls a condition that must ask something (an API server, a sidecar) every <paramref name="poll"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> because, TimeSpan? timeout, TimeSpan poll)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((timeout ?? DefaultTimeout).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds} s waiting until {because()}");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>Awaits a task with a deadline, failing the test (rather than hanging it) when it does not finish.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await WithinAsync((Task)task, what, timeout);
        return await task;
    }

    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            Assert.Fail($"{what} did not finish within {limit.TotalSeconds} s");
        }

        await task;
    }
}
