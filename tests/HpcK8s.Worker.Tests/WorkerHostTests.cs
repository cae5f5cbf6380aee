using System.Net;
using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;
using HpcK8s.Worker.Health;
using HpcK8s.Worker.Telemetry;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace HpcK8s.Worker.Tests;

/// <summary>The host over real HTTP with no sidecar at all: probes, metrics, actor config, options.</summary>
public sealed class WorkerHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Healthz_WithoutSidecar_Answers200()
    {
        await using var host = await WorkerHost.StartAsync(WorkerHost.Unreachable(), output);

        var (status, body) = await host.GetHealthAsync(HpcK8sWorkerExtensions.LivenessPath);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        // Ours, not the Dapr actors' lower-priority /healthz: only the liveness check runs.
        Assert.Equal(["process"], Checks(body).Keys);
    }

    [Fact]
    public async Task Telemetry_OtlpEndpointSet_ExportsMetricsToo_AndTracesAlways()
    {
        var settings = WorkerHost.Unreachable();
        await using (var plain = await WorkerHost.StartAsync(settings, output))
        {
            Assert.NotNull(plain.App.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
            Assert.Null(plain.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
        }

        settings[HpcK8sWorkerExtensions.OtlpEndpointVariable] = $"http://127.0.0.1:{WorkerHost.FreePort()}";
        await using var exporting = await WorkerHost.StartAsync(settings, output);

        Assert.NotNull(exporting.App.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task Readyz_WithoutSidecarOrDaprd_Answers503AndSaysWhatIsMissing()
    {
        var settings = WorkerHost.Unreachable();
        await using var host = await WorkerHost.StartAsync(settings, output);

        var (status, body) = await host.GetHealthAsync(HpcK8sWorkerExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var checks = Checks(body);
        Assert.Equal([DaprSidecarHealthCheck.Name, WorkflowStreamHealthCheck.Name], checks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Unhealthy", checks[WorkflowStreamHealthCheck.Name].Status);
        Assert.Contains("work-item stream to the Dapr sidecar at " + settings["Dapr:Workflows:GrpcEndpoint"], checks[WorkflowStreamHealthCheck.Name].Description);
        Assert.Contains("is not open", checks[WorkflowStreamHealthCheck.Name].Description);
        Assert.Equal("Unhealthy", checks[DaprSidecarHealthCheck.Name].Status);
        Assert.Contains("daprd at " + settings["HpcK8s:Worker:DaprHttpEndpoint"], checks[DaprSidecarHealthCheck.Name].Description);
        Assert.Contains("could not be reached", checks[DaprSidecarHealthCheck.Name].Description);
        Assert.Contains("HpcK8s:Worker:DaprHttpEndpoint", checks[DaprSidecarHealthCheck.Name].Description);
    }

    [Fact]
    public async Task Readyz_DaprdAnswersButNoStream_StaysUnreadyAndNamesOnlyTheStream()
    {
        await using var daprd = await FakeDaprd.StartAsync();
        var settings = WorkerHost.Unreachable();
        settings["HpcK8s:Worker:DaprHttpEndpoint"] = daprd.Url;
        await using var host = await WorkerHost.StartAsync(settings, output);

        var (status, body) = await host.GetHealthAsync(HpcK8sWorkerExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var checks = Checks(body);
        Assert.Equal("Healthy", checks[DaprSidecarHealthCheck.Name].Status);
        Assert.Contains("answered 204", checks[DaprSidecarHealthCheck.Name].Description);
        Assert.Equal("Unhealthy", checks[WorkflowStreamHealthCheck.Name].Status);
        Assert.True(daprd.OutboundCalls >= 1);
    }

    [Fact]
    public async Task DaprConfig_AsDaprdAsks_ListsTheLedgerActor()
    {
        await using var host = await WorkerHost.StartAsync(WorkerHost.Unreachable(), output);

        using var config = JsonDocument.Parse(await host.Http.GetStringAsync("/dapr/config"));

        Assert.Contains(LedgerActorIds.ActorType, config.RootElement.GetProperty("entities").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Metrics_WithoutSidecar_ShowTheStreamDisconnectedAndItsReconnects()
    {
        var settings = WorkerHost.Unreachable();
        settings["Dapr:Workflows:MinReconnectDelay"] = "00:00:00.1";
        settings["Dapr:Workflows:MaxReconnectDelay"] = "00:00:00.2";
        await using var host = await WorkerHost.StartAsync(settings, output);
        var worker = host.App.Services.GetRequiredService<HpcK8s.Dapr.Workflows.DaprWorkflowWorker>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (worker.Counters.Reconnects < 1)
        {
            await Task.Delay(20, timeout.Token);
        }

        var metrics = await host.GetMetricsAsync();

        Assert.Equal(0, MetricsText.Value(metrics, "hpck8s_worker_stream_connected"));
        Assert.Equal(0, MetricsText.Value(metrics, "hpck8s_worker_stream_opened"));
        Assert.True(MetricsText.Value(metrics, "hpck8s_worker_stream_reconnects") >= 1, metrics);
        Assert.Equal(0, MetricsText.Value(metrics, "hpck8s_worker_work_items{kind=\"activity\"}"));
        Assert.Contains("process_cpu_seconds_total", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HpcK8s:Worker:LedgerStore", "sqlite", "HpcK8s:Worker:LedgerStore must be 'actors' or 'none'")]
    [InlineData("HpcK8s:Worker:ShutdownTimeout", "-00:00:01", "HpcK8s:Worker:ShutdownTimeout must be more than zero")]
    [InlineData("HpcK8s:Worker:DaprHttpEndpoint", "localhost:3500", "HpcK8s:Worker:DaprHttpEndpoint must be an absolute http or https URI")]
    [InlineData("Dapr:Workflows:MaxConcurrentActivities", "0", "Dapr:Workflows:MaxConcurrentActivities must be at least 1")]
    public async Task Start_WithABadSetting_FailsNamingTheKey(string key, string value, string expected)
    {
        var settings = WorkerHost.Unreachable();
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => WorkerHost.StartAsync(settings, output));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_FromConfiguration_SetShutdownTimeoutLedgerAndInstrumentedRegistry()
    {
        var settings = WorkerHost.Unreachable();
        settings["HpcK8s:Worker:ShutdownTimeout"] = "00:00:07";
        settings["HpcK8s:Worker:LedgerStore"] = "Actors";
        await using var host = await WorkerHost.StartAsync(settings, output, services => services.AddSingleton<ILedgerStore>(new InMemoryLedgerStore()));
        var provider = host.App.Services;

        Assert.Equal(TimeSpan.FromSeconds(7), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.IsType<StoreJobLedger>(provider.GetRequiredService<IJobLedger>());
        var registry = provider.GetRequiredService<WorkflowRegistry>();
        Assert.Contains(ComputeJobWorkflow.WorkflowName, registry.WorkflowNames);
        Assert.Contains(ShardBatchWorkflow.WorkflowName, registry.WorkflowNames);
        Assert.True(registry.TryCreateActivity(ExecuteShardActivity.ActivityName, out var shard));
        Assert.IsType<InstrumentedShardActivity>(shard);
        Assert.True(registry.TryCreateActivity(RecordLedgerActivity.ActivityName, out var record));
        Assert.IsType<RecordLedgerActivity>(record);
    }

    [Fact]
    public async Task Services_LedgerStoreNone_RecordsNoLedger_AndAnEarlierIJobLedgerWins()
    {
        var settings = WorkerHost.Unreachable();
        await using (var none = await WorkerHost.StartAsync(settings, output))
        {
            Assert.Same(NoLedger.Instance, none.App.Services.GetRequiredService<IJobLedger>());
        }

        var mine = new RecordingLedger();
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IJobLedger>(mine);
        builder.Services.AddHpcK8sWorker();
        builder.Services.AddSingleton(new KernelRegistry([.. KernelRegistry.BuiltIn.Kernels, new SlowKernel()]));
        await using var app = builder.Build();

        Assert.Same(mine, app.Services.GetRequiredService<IJobLedger>());
        Assert.True(app.Services.GetRequiredService<KernelRegistry>().TryGet("slow", out _));
    }

    private static Dictionary<string, (string Status, string Description)> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => (c.GetProperty("status").GetString()!, c.GetProperty("description").GetString() ?? string.Empty));

    private sealed class RecordingLedger : IJobLedger
    {
        public Task<HpcK8s.Workflows.Jobs.LedgerHead?> AppendAsync(string jobName, IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken) =>
            Task.FromResult<HpcK8s.Workflows.Jobs.LedgerHead?>(null);

        public Task<bool> ExistsAsync(string ledgerId, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
