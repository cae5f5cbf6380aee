using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;

namespace HpcK8s.Operator.Tests.Informers;

public sealed class ControllerTests : KubeTestBase
{
    private static readonly ObjectKey A = new(Ns, "a");

    [Fact]
    public async Task ReconcileErrors_AreRetriedWithGrowingBackoff_ThenSuccessForgetsTheFailures()
    {
        await CreateJobAsync("a");
        var reconciler = new ScriptedReconciler((call, _) =>
            call.Attempt <= 3 ? throw new InvalidOperationException($"attempt {call.Attempt} fails") : Task.FromResult(ReconcileResult.Done));
        var logger = new ListLogger<Controller<V1Alpha1ComputeJob>>();
        var controller = StartController(reconciler, new ControllerOptions { Workers = 2, BaseDelay = TimeSpan.FromMilliseconds(20) }, logger: logger);

        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count == 4, "the fourth attempt");

        var at = reconciler.CallsFor(A).Select(c => c.At).ToList();
        for (var i = 1; i < at.Count; i++)
        {
            // base·2^(n-1) after the n-th failure; timers never fire early, allow a millisecond of clock rounding.
            var expected = TimeSpan.FromMilliseconds(20 << (i - 1));
            Assert.True(at[i] - at[i - 1] >= expected - TimeSpan.FromMilliseconds(1), $"retry {i} came {at[i] - at[i - 1]} after the failure, expected at least {expected}");
        }

        await Eventually.TrueAsync(() => controller.Queue.NumRequeues(A) == 0, "the success made the queue forget the failures");
        Assert.Equal(3, logger.Named("ReconcileFailed").Count);
        Assert.Equal([1, 2, 3], logger.Named("ReconcileFailed").Select(e => (int)e.State["Attempt"]!));
        Assert.False(reconciler.Overlapped);
    }

    [Fact]
    public async Task RequeueAfter_LooksAgainAfterTheDelay()
    {
        await CreateJobAsync("a");
        var delay = TimeSpan.FromMilliseconds(150);
        var reconciler = new ScriptedReconciler((call, _) => Task.FromResult(call.Attempt == 1 ? ReconcileResult.After(delay) : ReconcileResult.Done));
        var controller = StartController(reconciler);

        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count == 2, "the requeued reconcile");

        var calls = reconciler.CallsFor(A);
        Assert.True(calls[1].At - calls[0].At >= delay - TimeSpan.FromMilliseconds(1), $"came after {calls[1].At - calls[0].At}");
        Assert.Equal(0, controller.Queue.NumRequeues(A));
    }

    [Fact]
    public async Task AddUpdateAndDelete_EachLeadToAReconcile_AndTheLastSeesTheObjectGone()
    {
        var seen = new List<(int Attempt, bool Exists)>();
        ResourceInformer<V1Alpha1ComputeJob>? informer = null;
        var reconciler = new ScriptedReconciler((call, _) =>
        {
            lock (seen)
            {
                seen.Add((call.Attempt, informer!.Get(call.Key) is not null));
            }

            return Task.FromResult(ReconcileResult.Done);
        });
        var controller = StartController(reconciler);
        informer = controller.Informer;
        await SyncedAsync(informer);

        await CreateJobAsync("a");
        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count >= 1, "the add was reconciled");
        await PatchJobAsync("a", new { spec = new { shards = 4 } });
        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count >= 2, "the update was reconciled");
        await DeleteJobAsync("a");
        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count >= 3, "the delete was reconciled");

        lock (seen)
        {
            Assert.Equal((true, false), (seen[0].Exists, seen[^1].Exists));
        }
    }

    [Fact]
    public async Task NamespaceFilter_OnlyKeysOfTheWatchedNamespaceAreReconciled()
    {
        await CreateJobAsync("outside", ns: "other");
        await CreateJobAsync("a");
        var reconciler = new ScriptedReconciler();
        var controller = StartController(reconciler, new ControllerOptions { Workers = 1 });
        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count == 1, "the job in the watched namespace was reconciled");

        await CreateJobAsync("outside-later", ns: "other");
        await CreateJobAsync("last");

        // One worker hands keys out in order: had "outside-later" been queued, it would come before "last".
        await Eventually.TrueAsync(() => reconciler.CallsFor(new ObjectKey(Ns, "last")).Count == 1, "the last job was reconciled");
        Assert.All(reconciler.Calls, c => Assert.Equal(Ns, c.Key.Namespace));
        Assert.Null(controller.Informer.Get(new ObjectKey("other", "outside")));
    }

    [Fact]
    public async Task ManyChanges_OneKeyIsNeverReconciledConcurrently_AndTheLastStateIsReconciled()
    {
        await CreateJobAsync("a");
        var lastSeenShards = 0;
        ResourceInformer<V1Alpha1ComputeJob>? informer = null;
        var reconciler = new ScriptedReconciler(async (call, ct) =>
        {
            Volatile.Write(ref lastSeenShards, informer!.Get(call.Key)?.Spec.Shards ?? 0);
            await Task.Delay(2, ct);
            return ReconcileResult.Done;
        });
        var controller = StartController(reconciler, new ControllerOptions { Workers = 8 });
        informer = controller.Informer;
        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count >= 1, "the first reconcile");

        for (var i = 2; i <= 20; i++)
        {
            await PatchJobAsync("a", new { spec = new { shards = i } });
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref lastSeenShards) == 20, "a reconcile after the last change");
        Assert.False(reconciler.Overlapped);
    }

    [Fact]
    public async Task Cancellation_ShutsTheQueueDown_WaitsForReconcilesInFlight_AndStopsTheInformerItStarted()
    {
        await CreateJobAsync("a");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task; // ignores cancellation on purpose: shutdown must wait for it
            return ReconcileResult.Done;
        });
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        var controller = new Controller<V1Alpha1ComputeJob>(informer, reconciler);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        await Eventually.WithinAsync(entered.Task, "the reconcile started");
        Assert.True(informer.IsRunning);

        await stop.CancelAsync();
        await Eventually.TrueAsync(() => controller.Queue.IsShuttingDown, "the queue was shut down");
        Assert.False(run.IsCompleted);

        release.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.WithinAsync(run, "the controller after the reconcile finished"));
        Assert.False(informer.IsRunning);
        Assert.Equal(0, controller.Queue.ProcessingCount);
    }

    [Fact]
    public async Task AnInformerAlreadyRunning_IsUsed_AndLeftRunning()
    {
        await CreateJobAsync("a");
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        _ = RunUntilDisposed(informer.RunAsync);
        await SyncedAsync(informer);
        var reconciler = new ScriptedReconciler();
        var controller = new Controller<V1Alpha1ComputeJob>(informer, reconciler);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count == 1, "the controller reconciled the cached object");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.WithinAsync(run, "the controller"));

        Assert.True(informer.IsRunning);
        Assert.Single(Requests(ComputeJobResource.Plural, watch: false));
        await Assert.ThrowsAsync<InvalidOperationException>(() => controller.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AReconcilerCancellingItself_IsAnError_NotAShutdown()
    {
        await CreateJobAsync("a");
        var reconciler = new ScriptedReconciler((call, _) =>
            call.Attempt == 1 ? throw new OperationCanceledException("the reconciler's own timeout") : Task.FromResult(ReconcileResult.Done));
        var controller = StartController(reconciler, new ControllerOptions { BaseDelay = TimeSpan.FromMilliseconds(10) });

        await Eventually.TrueAsync(() => reconciler.CallsFor(A).Count == 2, "the retry after the reconciler's own cancellation");
        Assert.False(controller.Queue.IsShuttingDown);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheProperty()
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());

        var workers = Assert.Throws<ArgumentException>(() => new Controller<V1Alpha1ComputeJob>(informer, new ScriptedReconciler(), new ControllerOptions { Workers = 0 }));
        var delays = Assert.Throws<ArgumentException>(() => new Controller<V1Alpha1ComputeJob>(
            informer, new ScriptedReconciler(), new ControllerOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) }));

        Assert.Contains("ControllerOptions.Workers", workers.Message, StringComparison.Ordinal);
        Assert.Contains("ControllerOptions.MaxDelay", delays.Message, StringComparison.Ordinal);
    }

    private Controller<V1Alpha1ComputeJob> StartController(ScriptedReconciler reconciler, ControllerOptions? options = null, ListLogger<Controller<V1Alpha1ComputeJob>>? logger = null)
    {
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(Client, JobOptions());
        var controller = new Controller<V1Alpha1ComputeJob>(informer, reconciler, options, logger);
        _ = RunUntilDisposed(controller.RunAsync);
        return controller;
    }
}
