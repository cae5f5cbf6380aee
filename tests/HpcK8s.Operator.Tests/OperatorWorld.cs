using System.Net;
using System.Net.Sockets;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Ledger;
using HpcK8s.Core.Model;
using HpcK8s.Dapr.Workflows;
using HpcK8s.KubeApiServer;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Operator.Telemetry;
using HpcK8s.Testing;
using HpcK8s.Worker;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace HpcK8s.Operator.Tests;

/// <summary>
/// Everything an operator test needs, for real: the in-test Kubernetes API server over HTTP, the reference Durable Task
/// sidecar (durabletask-js behind daprd's gRPC protocol) and a worker host attached to it, running the built-in kernels
/// plus <see cref="ScriptedKernel"/> (<c>scripted</c>, whose shards can sleep or fail) and recording ledgers in memory.
/// </summary>
internal sealed class OperatorWorld : IAsyncDisposable
{
    public const string Namespace = "jobs";

    private readonly ITestOutputHelper _output;

    private OperatorWorld(FakeKubeApiServer api, WebApplication worker, string sidecar, ScriptedKernel kernel, InMemoryLedgerStore ledger, ITestOutputHelper output)
    {
        Kernel = kernel;
        Ledger = ledger;
        Api = api;
        Worker = worker;
        Sidecar = sidecar;
        _output = output;
        Client = api.CreateClient();
        Workflows = new DaprWorkflowClient(new DaprWorkflowOptions { GrpcEndpoint = sidecar });
    }

    public FakeKubeApiServer Api { get; }

    public IKubernetes Client { get; }

    public WebApplication Worker { get; }

    public string Sidecar { get; }

    public DaprWorkflowClient Workflows { get; }

    public ScriptedKernel Kernel { get; }

    public InMemoryLedgerStore Ledger { get; }

    public KernelRegistry Kernels => new([.. KernelRegistry.BuiltIn.Kernels, Kernel]);

    public static async Task<OperatorWorld> StartAsync(string sidecarEndpoint, ITestOutputHelper output)
    {
        var api = await FakeKubeApiServer.StartAsync();
        var kernel = new ScriptedKernel();
        var ledger = new InMemoryLedgerStore();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dapr:Workflows:GrpcEndpoint"] = sidecarEndpoint,
            ["Dapr:Workflows:MinReconnectDelay"] = "00:00:01",
            ["Dapr:Workflows:MaxReconnectDelay"] = "00:00:02",
            ["HpcK8s:Worker:DaprHttpEndpoint"] = $"http://127.0.0.1:{FreePort()}",
            ["HpcK8s:Worker:LedgerStore"] = HpcK8sWorkerOptions.LedgerStoreActors,
            ["HpcK8s:Worker:ShutdownTimeout"] = "00:00:01",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        builder.Services.AddSingleton(new KernelRegistry([.. KernelRegistry.BuiltIn.Kernels, kernel]));
        builder.Services.AddSingleton<ILedgerStore>(ledger);
        builder.AddHpcK8sWorker();
        var app = builder.Build();
        app.MapHpcK8sWorker();
        await app.StartAsync();
        await app.Services.GetRequiredService<DaprWorkflowWorker>().WaitForStreamConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        return new OperatorWorld(api, app, sidecarEndpoint, kernel, ledger, output);
    }

    /// <summary>A reconciler wired as the host wires it, over this world's API server and sidecar.</summary>
    public ComputeJobReconciler CreateReconciler(TimeProvider? time = null, Action<OperatorOptions>? configure = null, IJobWorkflows? workflows = null)
    {
        var options = new OperatorOptions { PollInterval = TimeSpan.FromMilliseconds(100) };
        configure?.Invoke(options);
        var logs = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(_output)));
        time ??= TimeProvider.System;
        return new ComputeJobReconciler(
            new ComputeJobApi(Client),
            workflows ?? new DaprJobWorkflows(Workflows),
            new EventRecorder(Client, time, logs.CreateLogger<EventRecorder>()),
            Kernels,
            Options.Create(options),
            time,
            new OperatorMetrics(),
            logs.CreateLogger<ComputeJobReconciler>());
    }

    public async Task<V1Alpha1ComputeJob> CreateJobAsync(string name, ComputeJobSpec spec)
    {
        var job = new V1Alpha1ComputeJob { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec };
        return await Client.CustomObjects.CreateNamespacedCustomObjectAsync<V1Alpha1ComputeJob>(
            job, ComputeJobResource.Group, ComputeJobResource.Version, Namespace, ComputeJobResource.Plural);
    }

    public Task<V1Alpha1ComputeJob?> GetJobAsync(string name) => new ComputeJobApi(Client).GetAsync(new ObjectKey(Namespace, name), CancellationToken.None);

    public async Task<V1Alpha1ComputeJob> UpdateSpecAsync(string name, Action<ComputeJobSpec> change)
    {
        var api = new ComputeJobApi(Client);
        while (true)
        {
            var job = await GetJobAsync(name) ?? throw new InvalidOperationException($"no job {name}");
            change(job.Spec);
            try
            {
                return await api.ReplaceAsync(job, CancellationToken.None);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // The reconciler wrote in between; read again.
            }
        }
    }

    public Task DeleteJobAsync(string name) =>
        Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ComputeJobResource.Group, ComputeJobResource.Version, Namespace, ComputeJobResource.Plural, name);

    /// <summary>Reconciles <paramref name="name"/> as the controller would (again after each RequeueAfter, again soon after
    /// an error) until <paramref name="until"/> holds for the stored job.</summary>
    public async Task<V1Alpha1ComputeJob?> DriveAsync(IReconciler reconciler, string name, Func<V1Alpha1ComputeJob?, bool> until, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var key = new ObjectKey(Namespace, name);
        while (true)
        {
            var job = await GetJobAsync(name);
            if (until(job))
            {
                return job;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"job {name} never reached the expected state; last status: {KubernetesJson.Serialize(job?.Status)}");
            }

            TimeSpan delay;
            try
            {
                var result = await reconciler.ReconcileAsync(key, cts.Token);
                delay = result.RequeueAfter ?? TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _output.WriteLine($"reconcile failed (retried): {e.GetType().Name}: {e.Message}");
                delay = TimeSpan.FromMilliseconds(50);
            }

            await Task.Delay(Min(delay, TimeSpan.FromMilliseconds(200)), CancellationToken.None);
        }
    }

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string name)
    {
        var list = await Client.CoreV1.ListNamespacedEventAsync(Namespace);
        return [.. list.Items.Where(e => e.InvolvedObject.Name == name).OrderBy(e => e.Metadata.CreationTimestamp)];
    }

    public async ValueTask DisposeAsync()
    {
        Workflows.Dispose();
        Client.Dispose();
        await Worker.StopAsync();
        await Worker.DisposeAsync();
        await Api.DisposeAsync();
    }

    /// <summary>A job of the <c>scripted</c> kernel: shards that sleep, one attempt each.</summary>
    public static ComputeJobSpec Scripted(int shards, int sleepMs, int parallelism) => new()
    {
        Kernel = new KernelReference { Name = "scripted" },
        Parameters = new() { ["sleepMs"] = sleepMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Shards = shards,
        Parallelism = parallelism,
        Retry = new RetrySpec { MaxAttempts = 1 },
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
