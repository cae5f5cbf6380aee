using System.Diagnostics.Metrics;
using Dapr.Actors.Runtime;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Hosting;
using HpcK8s.Worker.Health;
using HpcK8s.Worker.Telemetry;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HpcK8s.Worker;

/// <summary>
/// Assembles the worker pod: <see cref="AddHpcK8sWorker(IServiceCollection, Action{HpcK8sWorkerOptions}?)"/> registers
/// the services, <see cref="MapHpcK8sWorker"/> maps the endpoints.
/// </summary>
/// <example><code>var builder = WebApplication.CreateBuilder(args);
/// builder.AddHpcK8sWorker();
/// var app = builder.Build();
/// app.MapHpcK8sWorker();
/// await app.RunAsync();</code></example>
public static class HpcK8sWorkerExtensions
{
    /// <summary>Liveness endpoint: 200 while the process serves HTTP.</summary>
    public const string LivenessPath = HealthEndpoints.LivenessPath;

    /// <summary>Readiness endpoint: 200 while the work-item stream is open and daprd answers; 503 otherwise.</summary>
    public const string ReadinessPath = HealthEndpoints.ReadinessPath;

    /// <summary>Prometheus scrape endpoint.</summary>
    public const string MetricsPath = HealthEndpoints.MetricsPath;

    /// <summary>Health check tag of the liveness checks.</summary>
    public const string LiveTag = HealthEndpoints.LiveTag;

    /// <summary>Health check tag of the readiness checks.</summary>
    public const string ReadyTag = HealthEndpoints.ReadyTag;

    /// <summary>The environment variable (or configuration key) that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OpenTelemetry service name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "hpck8s-worker";

    /// <summary>Adds the worker's services to the app (see <see cref="AddHpcK8sWorker(IServiceCollection, Action{HpcK8sWorkerOptions}?)"/>);
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is read from the app's configuration.</summary>
    /// <param name="builder">The web application builder.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder AddHpcK8sWorker(this WebApplicationBuilder builder, Action<HpcK8sWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddWorker(builder.Services, builder.Configuration[OtlpEndpointVariable], configure);
        return builder;
    }

    /// <summary>
    /// Adds the worker: the built-in kernels, the job workflows (shards instrumented) recording into the replicated
    /// ledger, the Dapr workflow worker and client, the ledger actors, health checks, metrics and tracing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// <para>Options bind from <see cref="HpcK8sWorkerOptions.SectionName"/> (validated on start),
    /// <see cref="DaprWorkflowOptions.SectionName"/> and <see cref="LedgerReplicationOptions.SectionName"/>.</para>
    /// <para>Registered with <c>TryAdd</c>, so a <see cref="KernelRegistry"/>, <see cref="IJobLedger"/>,
    /// <see cref="ILedgerStore"/> or <see cref="WorkflowRegistry"/> registered before this call is used instead of
    /// the default.</para>
    /// <para>The OTLP exporter is added only when the <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable is set.</para>
    /// </remarks>
    public static IServiceCollection AddHpcK8sWorker(this IServiceCollection services, Action<HpcK8sWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddWorker(services, Environment.GetEnvironmentVariable(OtlpEndpointVariable), configure);
    }

    /// <summary>
    /// Maps <see cref="LivenessPath"/>, <see cref="ReadinessPath"/>, <see cref="MetricsPath"/> and the Dapr actor
    /// routes (<c>/dapr/config</c>, <c>/actors/…</c>) daprd calls.
    /// </summary>
    /// <param name="app">The app built after <see cref="AddHpcK8sWorker(WebApplicationBuilder, Action{HpcK8sWorkerOptions}?)"/>.</param>
    /// <returns>The app.</returns>
    public static WebApplication MapHpcK8sWorker(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Registered before MapActorsHandlers, whose own /healthz has a lower priority (route order 100) and so yields to this one.
        app.MapHealthEndpoints();
        app.MapMetrics(MetricsPath, app.Services.GetRequiredService<PrometheusExport>().Registry);
        app.MapActorsHandlers();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HpcK8s.Worker");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var options = app.Services.GetRequiredService<IOptions<HpcK8sWorkerOptions>>().Value;
        var shards = app.Services.GetRequiredService<ShardMetrics>();
        lifetime.ApplicationStarted.Register(() => WorkerLog.Started(
            logger,
            Describe(() => DaprSidecarEndpoint.Resolve(app.Services.GetRequiredService<IOptions<DaprWorkflowOptions>>().Value.GrpcEndpoint)),
            Describe(() => DaprHttpEndpointResolver.Resolve(options.DaprHttpEndpoint)),
            options.LedgerStore,
            string.Join(", ", app.Services.GetRequiredService<KernelRegistry>().Kernels.Select(k => k.Name)),
            options.ShutdownTimeout));
        lifetime.ApplicationStopping.Register(() => WorkerLog.Stopping(logger, shards.InFlight, options.ShutdownTimeout));
        lifetime.ApplicationStopped.Register(() => WorkerLog.Stopped(logger, shards.InFlight));
        return app;
    }

    private static IServiceCollection AddWorker(IServiceCollection services, string? otlpEndpoint, Action<HpcK8sWorkerOptions>? configure)
    {
        var options = services.AddOptions<HpcK8sWorkerOptions>().BindConfiguration(HpcK8sWorkerOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HpcK8sWorkerOptions>, HpcK8sWorkerOptionsValidator>());
        // Stopping drains (WorkflowWorkerDrain): shards in flight may finish until this timeout, then they are abandoned.
        services.AddOptions<HostOptions>().Configure<IOptions<HpcK8sWorkerOptions>>((host, worker) => host.ShutdownTimeout = worker.Value.ShutdownTimeout);
        services.AddMetrics();

        services.TryAddSingleton(KernelRegistry.BuiltIn);
        services.TryAddSingleton<ShardMetrics>();
        services.TryAddSingleton<IJobLedger>(CreateJobLedger);
        services.TryAddSingleton(sp => WorkerWorkflowRegistry.Create(
            sp.GetRequiredService<KernelRegistry>(),
            sp.GetRequiredService<IJobLedger>(),
            sp.GetRequiredService<ShardMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("HpcK8s.Worker.Shards")));

        services.AddOptions<DaprWorkflowOptions>().BindConfiguration(DaprWorkflowOptions.SectionName);
        services.AddDaprWorkflows();
        services.AddHostedService<WorkflowWorkerDrain>();
        // Before the ledger actors' default (a fixed count): each job's ledger gets its spec.ledger.replicas.
        services.TryAddSingleton<ILedgerReplicaCountProvider, JobSpecReplicaCountProvider>();
        services.AddHpcK8sLedgerActors();
        services.AddOptions<ActorRuntimeOptions>().Configure<IOptions<HpcK8sWorkerOptions>>((actors, worker) =>
        {
            if (!string.IsNullOrWhiteSpace(worker.Value.DaprHttpEndpoint))
            {
                actors.HttpEndpoint = DaprHttpEndpointResolver.Resolve(worker.Value.DaprHttpEndpoint).ToString().TrimEnd('/');
            }
        });

        services.TryAddSingleton<WorkflowStreamMetrics>();
        // The worker's instruments exist before the exporter starts listening.
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<ShardMetrics>();
            _ = sp.GetRequiredService<WorkflowStreamMetrics>();
            return new PrometheusExport(sp.GetRequiredService<IMeterFactory>(), WorkerTelemetry.DurationBuckets);
        });
        services.AddHttpClient(DaprSidecarHealthCheck.HttpClientName);
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The worker process is up."), [LiveTag])
            .AddCheck<WorkflowStreamHealthCheck>(WorkflowStreamHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<DaprSidecarHealthCheck>(DaprSidecarHealthCheck.Name, tags: [ReadyTag]);

        services.AddHostTelemetry(DefaultServiceName, otlpEndpoint, WorkerTelemetry.MeterName, WorkerTelemetry.ActivitySourceName);
        return services;
    }

    private static IJobLedger CreateJobLedger(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<HpcK8sWorkerOptions>>().Value;
        return string.Equals(options.LedgerStore, HpcK8sWorkerOptions.LedgerStoreNone, StringComparison.OrdinalIgnoreCase)
            ? NoLedger.Instance
            : new StoreJobLedger(services.GetRequiredService<ILedgerStore>());
    }

    private static string Describe(Func<Uri> resolve)
    {
        try
        {
            return resolve().ToString();
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
