using CsCheck;
using HpcK8s.Operator.Informers;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>Properties of <see cref="WorkQueue{TKey}"/> over random operation sequences and random thread interleavings.</summary>
public sealed class WorkQueuePropertyTests
{
    private const int Keys = 6;

    /// <summary>One step of a sequential script.</summary>
    private enum Op
    {
        Add,
        AddAfter,
        AddRateLimited,
        Forget,
        Get,
        Done,
        Advance,
    }

    [Fact]
    public void RandomSequences_NeverHandOutAKeyTwiceAtOnce_AndEveryAddIsProcessedAfterIt()
    {
        var step = Gen.Select(Gen.Enum<Op>(), Gen.Int[0, Keys - 1], Gen.Int[0, 30]);
        step.Array[0, 80].Sample(script =>
        {
            var time = new ManualTimeProvider();
            using var queue = new WorkQueue<int>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40), time);
            var processing = new HashSet<int>();
            var clock = 0L;
            var lastAdd = new long[Keys];
            var lastStart = new long[Keys];

            void Take()
            {
                var get = queue.GetAsync(CancellationToken.None);
                Assert.True(get.IsCompletedSuccessfully, "a ready key is handed out without waiting");
                var (ok, key) = get.Result;
                Assert.True(ok);
                Assert.True(processing.Add(key), $"key {key} handed out while still being processed");
                lastStart[key] = ++clock;
            }

            foreach (var (op, key, amount) in script)
            {
                switch (op)
                {
                    case Op.Add:
                        queue.Add(key);
                        lastAdd[key] = ++clock;
                        break;
                    case Op.AddAfter:
                        queue.AddAfter(key, TimeSpan.FromMilliseconds(amount));
                        lastAdd[key] = ++clock;
                        break;
                    case Op.AddRateLimited:
                        queue.AddRateLimited(key);
                        lastAdd[key] = ++clock;
                        break;
                    case Op.Forget:
                        queue.Forget(key);
                        Assert.Equal(0, queue.NumRequeues(key));
                        break;
                    case Op.Get when queue.Count > 0:
                        Take();
                        break;
                    case Op.Done when processing.Remove(key):
                        queue.Done(key);
                        break;
                    case Op.Advance:
                        time.Advance(TimeSpan.FromMilliseconds(amount));
                        break;
                }

                Assert.InRange(queue.Count, 0, Keys - processing.Count);
            }

            // Drain: finish everything in flight, let every delay pass, and work until nothing is left.
            for (var round = 0; round < 100 && (processing.Count > 0 || queue.Count > 0 || queue.WaitingCount > 0); round++)
            {
                foreach (var key in processing.ToArray())
                {
                    processing.Remove(key);
                    queue.Done(key);
                }

                time.Advance(TimeSpan.FromSeconds(1));
                while (queue.Count > 0)
                {
                    Take();
                }
            }

            for (var key = 0; key < Keys; key++)
            {
                Assert.True(lastAdd[key] == 0 || lastStart[key] > lastAdd[key], $"key {key} was added at step {lastAdd[key]} and not processed after it");
            }
        }, iter: 300);
    }

    [Fact]
    public async Task RandomInterleavings_NoKeyIsProcessedConcurrently_AndEveryAddAfterTheLastDoneIsProcessed()
    {
        // Each producer's script: keys to add, -1 = yield the thread (to vary the interleaving).
        var scripts = Gen.Int[-1, 3].Array[0, 60].Array[3];
        await scripts.SampleAsync(RunConcurrentlyAsync, iter: 60, threads: 1);
    }

    private static async Task RunConcurrentlyAsync(int[][] scripts)
    {
        using var queue = new WorkQueue<int>();
        var versions = new int[8];
        var seen = new int[8];
        var busy = new int[8];
        var overlaps = 0;

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var (ok, key) = await queue.GetAsync(CancellationToken.None);
                if (!ok)
                {
                    return;
                }

                if (Interlocked.Exchange(ref busy[key], 1) != 0)
                {
                    Interlocked.Increment(ref overlaps);
                }

                // Every Add bumps the key's version before adding it; a hand-out that starts after the Add reads it.
                var version = Volatile.Read(ref versions[key]);
                int current;
                while ((current = Volatile.Read(ref seen[key])) < version && Interlocked.CompareExchange(ref seen[key], version, current) != current)
                {
                }

                // Hold the key a little, on a varying schedule, so adds land while it is being processed.
                if ((key + w) % 2 == 0)
                {
                    await Task.Yield();
                }
                else
                {
                    Thread.SpinWait(200);
                }

                Volatile.Write(ref busy[key], 0);
                queue.Done(key);
            }
        })).ToArray();

        var producers = scripts.Select(script => Task.Run(async () =>
        {
            foreach (var key in script)
            {
                if (key < 0)
                {
                    await Task.Yield();
                    continue;
                }

                Interlocked.Increment(ref versions[key]);
                queue.Add(key);
            }
        })).ToArray();

        await Task.WhenAll(producers);
        await Eventually.TrueAsync(
            () => Enumerable.Range(0, 8).All(k => Volatile.Read(ref seen[k]) == Volatile.Read(ref versions[k])),
            "every key was processed after its last Add",
            TimeSpan.FromSeconds(5));
        queue.ShutDown();
        await Eventually.WithinAsync(Task.WhenAll(workers), "the workers after shutdown");
        Assert.Equal(0, overlaps);
    }
}
