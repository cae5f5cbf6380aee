using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Ledger;
using HpcK8s.Core.Model;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Testing.Dapr;
using HpcK8s.Testing.Interop;
using HpcK8s.Worker.Health;
using HpcK8s.Worker.Telemetry;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HpcK8s.Worker.Tests;

/// <summary>The worker host against the Node interop sidecar (daprd's workflow protocol over durabletask-js's engine)
/// and a fake daprd HTTP endpoint: readiness follows the stream and the sidecar, shards show in metrics, traces and the
/// ledger, and stopping drains or abandons cleanly.</summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class WorkerInteropTests(InteropSidecarFixture sidecar, ITestOutputHelper output)
{
    [InteropFact]
    public async Task Readyz_FollowsTheWorkItemStreamAndDaprd()
    {
        await using var daprd = await FakeDaprd.StartAsync();
        daprd.OutboundStatus = HttpStatusCode.InternalServerError;
        await using var host = await WorkerHost.StartAsync(Settings(sidecar.Endpoint, daprd.Url), output);
        var worker = host.App.Services.GetRequiredService<DaprWorkflowWorker>();
        await worker.WaitForStreamConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);

        // Stream up, daprd not ready: 503, and only the sidecar check says so.
        var notReady = await host.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
        Assert.Equal("Healthy", Check(notReady, WorkflowStreamHealthCheck.Name).Status);
        Assert.Equal("Unhealthy", Check(notReady, DaprSidecarHealthCheck.Name).Status);
        Assert.Contains("answered 500", Check(notReady, DaprSidecarHealthCheck.Name).Description);

        daprd.OutboundStatus = HttpStatusCode.NoContent;
        var ready = await host.WaitForReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());

        // The sidecar drops the stream (as a daprd restart does): not ready until the worker reconnects.
        await sidecar.DropStreamsAsync();
        var dropped = await host.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
        Assert.Equal("Unhealthy", Check(dropped, WorkflowStreamHealthCheck.Name).Status);
        Assert.Equal("Healthy", Check(dropped, DaprSidecarHealthCheck.Name).Status);
        await host.WaitForReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(15));

        var metrics = await host.GetMetricsAsync();
        Assert.Equal(1, MetricsText.Value(metrics, "hpck8s_worker_stream_connected"));
        Assert.True(MetricsText.Value(metrics, "hpck8s_worker_stream_reconnects") >= 1, metrics);
        Assert.True(MetricsText.Value(metrics, "hpck8s_worker_stream_opened") >= 2, metrics);
    }

    [InteropFact]
    public async Task PiBbpJob_ThroughTheSidecar_ShowsInMetricsSpansAndTheLedger()
    {
        await using var daprd = await FakeDaprd.StartAsync();
        var store = new InMemoryLedgerStore();
        var settings = Settings(sidecar.Endpoint, daprd.Url);
        settings["HpcK8s:Worker:LedgerStore"] = HpcK8sWorkerOptions.LedgerStoreActors;
        await using var host = await WorkerHost.StartAsync(settings, output, services => services.AddSingleton<ILedgerStore>(store));
        var job = "pi-bbp-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new ConcurrentBag<Activity>();
        using var listener = ListenToShardSpans(spans, job);
        var spec = new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "pi-bbp" },
            Parameters = new() { ["position"] = "1", ["count"] = "32" },
            Shards = 4,
            Parallelism = 4,
            Retry = new RetrySpec { MaxAttempts = 2, Backoff = "10ms" },
        };

        var result = await RunJobAsync(host, job, spec);

        Assert.Equal(JobPhase.Succeeded, result.Phase);
        Assert.Equal("243f6a8885a308d313198a2e03707344", result.Value);
        var metrics = await host.GetMetricsAsync();
        Assert.Equal(4, MetricsText.Value(metrics, "hpck8s_worker_shards_executed{hpck8s_kernel=\"pi-bbp\"}"));
        Assert.Null(MetricsText.Value(metrics, "hpck8s_worker_shards_failed{hpck8s_kernel=\"pi-bbp\"}"));
        Assert.Equal(4, MetricsText.Value(metrics, "hpck8s_worker_shard_duration_seconds_count{hpck8s_kernel=\"pi-bbp\",outcome=\"succeeded\"}"));
        Assert.Equal(0, MetricsText.Value(metrics, "hpck8s_worker_shards_in_flight"));
        Assert.True(MetricsText.Value(metrics, "hpck8s_worker_work_items{kind=\"activity\"}") >= 4 + 3, metrics); // shards, finish, ledger records
        Assert.True(MetricsText.Value(metrics, "hpck8s_worker_work_items{kind=\"workflow\"}") >= 3, metrics);

        Assert.Equal([0, 1, 2, 3], spans.Select(s => (int)s.GetTagItem(WorkerTelemetry.ShardTag)!).Order());
        Assert.All(spans, s =>
        {
            Assert.Equal(WorkerTelemetry.ShardSpanName, s.OperationName);
            Assert.Equal("pi-bbp", s.GetTagItem(WorkerTelemetry.KernelTag));
            Assert.Equal(4, s.GetTagItem(WorkerTelemetry.ShardCountTag));
            Assert.Equal(ActivityStatusCode.Ok, s.Status);
        });

        var head = await store.GetHeadAsync(job);
        Assert.False(head.IsEmpty);
        Assert.Equal(head.Height, result.Ledger!.Height);
        Assert.Equal(head.Hash.ToString(), result.Ledger.Head);
    }

    [InteropFact]
    public async Task Stop_WhileASlowShardRuns_AbandonsItWithinTheShutdownTimeout()
    {
        // A sidecar of its own: the abandoned shard is re-dispatched to whichever worker connects next.
        var ownSidecar = new InteropSidecarFixture();
        await ownSidecar.InitializeAsync();
        try
        {
            await using var daprd = await FakeDaprd.StartAsync();
            var kernel = new SlowKernel();
            var settings = Settings(ownSidecar.Endpoint, daprd.Url);
            settings["HpcK8s:Worker:ShutdownTimeout"] = "00:00:01";
            await using var host = await WorkerHost.StartAsync(settings, output, services => services.AddSingleton(WithKernel(kernel)));
            var unobserved = new ConcurrentBag<Exception>();
            EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) => unobserved.Add(e.Exception);
            TaskScheduler.UnobservedTaskException += onUnobserved;
            try
            {
                await StartJobAsync(host, "slow-" + Guid.NewGuid().ToString("N")[..8], SlowSpec(sleepMs: 120_000));
                await kernel.Started.WaitAsync(TimeSpan.FromSeconds(20));
                await host.WaitForReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(5));

                var clock = Stopwatch.StartNew();
                await host.App.StopAsync(CancellationToken.None);
                clock.Stop();

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"stopping took {clock.Elapsed} with a 1 s shutdown timeout");
                Assert.Equal(1, kernel.Cancelled);
                Assert.Equal(0, kernel.Finished);
                var worker = host.App.Services.GetRequiredService<DaprWorkflowWorker>();
                Assert.False(worker.IsStreamConnected);
                Assert.Equal(0, worker.Counters.CompletionFailures);
                var metrics = await host.CollectMetricsAsync();
                Assert.Equal(1, MetricsText.Value(metrics, "hpck8s_worker_shards_abandoned{hpck8s_kernel=\"slow\"}"));
                Assert.Null(MetricsText.Value(metrics, "hpck8s_worker_shards_executed{hpck8s_kernel=\"slow\"}"));
                Assert.Null(MetricsText.Value(metrics, "hpck8s_worker_shards_failed{hpck8s_kernel=\"slow\"}"));
                Assert.Equal(0, MetricsText.Value(metrics, "hpck8s_worker_shards_in_flight"));

                await host.DisposeAsync();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                Assert.Empty(unobserved);
            }
            finally
            {
                TaskScheduler.UnobservedTaskException -= onUnobserved;
            }
        }
        finally
        {
            await ownSidecar.DisposeAsync();
        }
    }

    [InteropFact]
    public async Task Stop_WhileAShortShardRuns_DrainsItAndItsResultCounts()
    {
        var ownSidecar = new InteropSidecarFixture();
        await ownSidecar.InitializeAsync();
        try
        {
            await using var daprd = await FakeDaprd.StartAsync();
            var kernel = new SlowKernel();
            var settings = Settings(ownSidecar.Endpoint, daprd.Url);
            settings["HpcK8s:Worker:ShutdownTimeout"] = "00:00:20";
            var job = "short-" + Guid.NewGuid().ToString("N")[..8];
            await using (var host = await WorkerHost.StartAsync(settings, output, services => services.AddSingleton(WithKernel(kernel))))
            {
                await StartJobAsync(host, job, SlowSpec(sleepMs: 1_500));
                await kernel.Started.WaitAsync(TimeSpan.FromSeconds(20));

                var clock = Stopwatch.StartNew();
                var stopping = host.App.StopAsync(CancellationToken.None);
                // Draining: Kestrel still answers, and readiness is down so no new work is routed here.
                var (status, body) = await host.GetHealthAsync(HpcK8sWorkerExtensions.ReadinessPath);
                await stopping;
                clock.Stop();

                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Contains("shutting down", Check(body, WorkflowStreamHealthCheck.Name).Description);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
                Assert.Equal(1, kernel.Finished);
                Assert.Equal(0, kernel.Cancelled);
                Assert.Equal(0, host.App.Services.GetRequiredService<DaprWorkflowWorker>().Counters.CompletionFailures);
                var metrics = await host.CollectMetricsAsync();
                Assert.Equal(1, MetricsText.Value(metrics, "hpck8s_worker_shards_executed{hpck8s_kernel=\"slow\"}"));
                Assert.Null(MetricsText.Value(metrics, "hpck8s_worker_shards_abandoned{hpck8s_kernel=\"slow\"}"));
            }

            // The next worker finishes the job from the reported shard: the shard is not run again.
            await using var next = await WorkerHost.StartAsync(settings, output, services => services.AddSingleton(WithKernel(kernel)));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var state = await next.App.Services.GetRequiredService<DaprWorkflowClient>().WaitForWorkflowCompletionAsync(job, timeout.Token);
            Assert.NotNull(state);
            Assert.Equal(OrchestrationStatus.Completed, state.Status);
            Assert.Equal(JobPhase.Succeeded, state.ReadOutputAs<ComputeJobOutput>()!.Phase);
            Assert.Equal(1, kernel.Finished);
        }
        finally
        {
            await ownSidecar.DisposeAsync();
        }
    }

    private static Dictionary<string, string?> Settings(string grpcEndpoint, string daprHttpEndpoint) => new()
    {
        ["Dapr:Workflows:GrpcEndpoint"] = grpcEndpoint,
        ["Dapr:Workflows:MinReconnectDelay"] = "00:00:01",
        ["Dapr:Workflows:MaxReconnectDelay"] = "00:00:02",
        ["HpcK8s:Worker:DaprHttpEndpoint"] = daprHttpEndpoint,
        ["HpcK8s:Worker:LedgerStore"] = HpcK8sWorkerOptions.LedgerStoreNone,
    };

    private static KernelRegistry WithKernel(IComputeKernel kernel) => new([.. KernelRegistry.BuiltIn.Kernels, kernel]);

    private static ComputeJobSpec SlowSpec(int sleepMs) => new()
    {
        Kernel = new KernelReference { Name = "slow" },
        Parameters = new() { ["sleepMs"] = sleepMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Shards = 1,
        Retry = new RetrySpec { MaxAttempts = 1, Backoff = "10ms" },
    };

    private static async Task StartJobAsync(WorkerHost host, string job, ComputeJobSpec spec)
    {
        var client = host.App.Services.GetRequiredService<DaprWorkflowClient>();
        await client.ScheduleNewWorkflowAsync(ComputeJobWorkflow.WorkflowName, job, new ComputeJobInput(job, spec, SpecDigest.Compute(spec), BatchSize: 2));
    }

    private static async Task<ComputeJobOutput> RunJobAsync(WorkerHost host, string job, ComputeJobSpec spec)
    {
        await StartJobAsync(host, job, spec);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var state = await host.App.Services.GetRequiredService<DaprWorkflowClient>().WaitForWorkflowCompletionAsync(job, timeout.Token);
        Assert.NotNull(state);
        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        return state.ReadOutputAs<ComputeJobOutput>()!;
    }

    private static ActivityListener ListenToShardSpans(ConcurrentBag<Activity> spans, string job)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(WorkerTelemetry.JobTag), job))
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static (string Status, string Description) Check(System.Text.Json.JsonElement body, string name)
    {
        var check = body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        return (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString() ?? string.Empty);
    }
}
