using HpcK8s.Operator.Informers;

namespace HpcK8s.Operator.Tests.Informers;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Add_Duplicates_CollapseIntoOneHandOut()
    {
        using var queue = new WorkQueue<string>();

        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal((true, "a"), await queue.GetAsync(CancellationToken.None));
        Assert.Equal((true, "b"), await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileProcessing_IsHandedOutAgainOnlyAfterDone()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var (_, key) = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        queue.Add("a");
        var second = queue.GetAsync(CancellationToken.None);

        Assert.Equal(0, queue.Count);
        Assert.False(second.IsCompleted);
        queue.Done(key);
        Assert.Equal((true, "a"), await Eventually.WithinAsync(second, "the second hand-out"));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task Done_WithoutAnAddMeanwhile_DoesNotRequeue()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        await queue.GetAsync(CancellationToken.None);

        queue.Done("a");

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.ProcessingCount);
    }

    [Fact]
    public async Task GetAsync_Waits_UntilAKeyIsAdded()
    {
        using var queue = new WorkQueue<int>();
        var get = queue.GetAsync(CancellationToken.None);
        Assert.False(get.IsCompleted);

        queue.Add(7);

        Assert.Equal((true, 7), await Eventually.WithinAsync(get, "GetAsync"));
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsAndTakesNoKey()
    {
        using var queue = new WorkQueue<int>();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token);
        var live = queue.GetAsync(CancellationToken.None);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        queue.Add(1);

        Assert.Equal((true, 1), await Eventually.WithinAsync(live, "the live getter"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(cts.Token));
    }

    [Fact]
    public void AddAfter_KeepsTheEarliestPendingTime()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time: time);

        queue.AddAfter("a", 100 * Ms);
        queue.AddAfter("a", 50 * Ms);
        queue.AddAfter("a", 200 * Ms);

        Assert.Equal(1, queue.WaitingCount);
        time.Advance(49 * Ms);
        Assert.Equal(0, queue.Count);
        time.Advance(Ms);
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.WaitingCount);
        time.Advance(500 * Ms);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void AddAfter_ZeroOrNegativeDelay_AddsAtOnce()
    {
        using var queue = new WorkQueue<string>(time: new ManualTimeProvider());

        queue.AddAfter("a", TimeSpan.Zero);
        queue.AddAfter("b", -Ms);

        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void AddAfter_ManyKeys_BecomeReadyInDueOrder()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<int>(time: time);
        int[] delays = [30, 10, 20, 10, 40];
        for (var i = 0; i < delays.Length; i++)
        {
            queue.AddAfter(i, delays[i] * Ms);
        }

        var readyCounts = new List<int>();
        for (var t = 0; t < 5; t++)
        {
            time.Advance(10 * Ms);
            readyCounts.Add(queue.Count);
        }

        Assert.Equal([2, 3, 4, 5, 5], readyCounts);
    }

    [Fact]
    public async Task AddRateLimited_DoublesPerKey_CappedAtMax_UntilForget()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(10 * Ms, 40 * Ms, time);

        async Task<TimeSpan> DelayOfNextRateLimitedAdd(string key)
        {
            queue.AddRateLimited(key);
            var waited = TimeSpan.Zero;
            while (queue.Count == 0)
            {
                time.Advance(Ms);
                waited += Ms;
            }

            var (_, got) = await queue.GetAsync(CancellationToken.None);
            queue.Done(got);
            return waited;
        }

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add(await DelayOfNextRateLimitedAdd("a"));
        }

        Assert.Equal([10 * Ms, 20 * Ms, 40 * Ms, 40 * Ms, 40 * Ms], delays);
        Assert.Equal(5, queue.NumRequeues("a"));
        Assert.Equal(10 * Ms, await DelayOfNextRateLimitedAdd("b"));

        queue.Forget("a");

        Assert.Equal(0, queue.NumRequeues("a"));
        Assert.Equal(10 * Ms, await DelayOfNextRateLimitedAdd("a"));
    }

    [Fact]
    public async Task ShutDown_WakesWaitingGetters_WithOkFalse()
    {
        using var queue = new WorkQueue<string>();
        var getters = Enumerable.Range(0, 3).Select(_ => queue.GetAsync(CancellationToken.None)).ToArray();

        queue.ShutDown();

        foreach (var getter in getters)
        {
            Assert.False((await Eventually.WithinAsync(getter, "a getter after shutdown")).Ok);
        }
    }

    [Fact]
    public async Task ShutDown_HandsOutWhatIsReady_ThenOkFalse_AndIgnoresLaterAdds()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time: time);
        queue.Add("ready");
        queue.AddAfter("delayed", 10 * Ms);

        queue.ShutDown();
        queue.Add("late");
        queue.AddRateLimited("late");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((true, "ready"), await queue.GetAsync(CancellationToken.None));
        Assert.False((await queue.GetAsync(CancellationToken.None)).Ok);
        Assert.True(queue.IsShuttingDown);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public void Constructor_RejectsDelaysOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkQueue<int>(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkQueue<int>(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AddAfter_OnTheRealClock_Fires()
    {
        using var queue = new WorkQueue<string>();

        queue.AddAfter("a", 20 * Ms);

        Assert.Equal((true, "a"), await Eventually.WithinAsync(queue.GetAsync(CancellationToken.None), "the delayed key"));
    }
}
