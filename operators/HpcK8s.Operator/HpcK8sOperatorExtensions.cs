using HpcK8s.Core.Kernels;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Hosting;
using HpcK8s.Operator.Hosting;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Operator.Scaling;
using HpcK8s.Operator.Telemetry;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HpcK8s.Operator;

/// <summary>Assembles the operator pod: <see cref="AddHpcK8sOperator(WebApplicationBuilder, Action{OperatorOptions}?)"/>
/// registers the services, <see cref="MapHpcK8sOperator"/> maps the endpoints.</summary>
/// <example><code>var builder = WebApplication.CreateBuilder(args);
/// builder.AddHpcK8sOperator();
/// var app = builder.Build();
/// app.MapHpcK8sOperator();
/// await app.RunAsync();</code></example>
public static class HpcK8sOperatorExtensions
{
    /// <summary>Liveness endpoint: 200 while the process serves HTTP and the operator loop has not died.</summary>
    public const string LivenessPath = HealthEndpoints.LivenessPath;

    /// <summary>Readiness endpoint: 200 while the API server and the workers' Dapr sidecar answer; 503 otherwise.</summary>
    public const string ReadinessPath = HealthEndpoints.ReadinessPath;

    /// <summary>Prometheus scrape endpoint.</summary>
    public const string MetricsPath = HealthEndpoints.MetricsPath;

    /// <summary>Health check tag of the liveness checks.</summary>
    public const string LiveTag = HealthEndpoints.LiveTag;

    /// <summary>Health check tag of the readiness checks.</summary>
    public const string ReadyTag = HealthEndpoints.ReadyTag;

    /// <summary>The OpenTelemetry service name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "hpck8s-operator";

    /// <summary>Adds the operator's services (see <see cref="AddHpcK8sOperator(IServiceCollection, string?, Action{OperatorOptions}?)"/>);
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is read from the app's configuration.</summary>
    /// <param name="builder">The web application builder.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder AddHpcK8sOperator(this WebApplicationBuilder builder, Action<OperatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHpcK8sOperator(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"], configure);
        return builder;
    }

    /// <summary>
    /// Adds the operator: a Kubernetes client (in-cluster, else the kubeconfig), the Dapr workflow client (pointed at the
    /// workers' sidecar by <c>Dapr:Workflows:GrpcEndpoint</c>), the reconciler, the autoscaler, the leader-elected operator
    /// loop, health checks, metrics and tracing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="otlpEndpoint">When set, traces and metrics are exported by OTLP too.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <returns>The services.</returns>
    /// <remarks>Registered with <c>TryAdd</c>: an <see cref="IKubernetes"/>, <see cref="KernelRegistry"/>,
    /// <see cref="IJobWorkflows"/> or <see cref="TimeProvider"/> registered before wins.</remarks>
    public static IServiceCollection AddHpcK8sOperator(this IServiceCollection services, string? otlpEndpoint = null, Action<OperatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig()));
        // Validation only: the operator runs no kernel, but it refuses what the workers would refuse.
        services.TryAddSingleton(KernelRegistry.BuiltIn);

        services.AddOptions<DaprWorkflowOptions>().BindConfiguration(DaprWorkflowOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DaprWorkflowOptions>, DaprWorkflowOptionsValidator>());
        services.TryAddSingleton(sp => new DaprWorkflowClient(sp.GetRequiredService<IOptions<DaprWorkflowOptions>>().Value, sp.GetService<ILogger<DaprWorkflowClient>>()));
        services.TryAddSingleton<IJobWorkflows>(sp => new DaprJobWorkflows(sp.GetRequiredService<DaprWorkflowClient>()));

        services.TryAddSingleton(sp => new OperatorMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        // The operator's instruments exist before the exporter starts listening.
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<OperatorMetrics>();
            return new PrometheusExport(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), OperatorMetrics.DurationBuckets);
        });
        services.TryAddSingleton(sp => new ComputeJobApi(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton<EventRecorder>();
        services.TryAddSingleton<ComputeJobReconciler>();
        services.TryAddSingleton<WorkerAutoscaler>();
        services.TryAddSingleton<OperatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());
        services.PostConfigure<OperatorOptions>(o =>
        {
            o.Workers.Namespace = string.IsNullOrWhiteSpace(o.Workers.Namespace) ? PodIdentity.Namespace(null) : o.Workers.Namespace;
        });

        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The operator process is up."), [LiveTag])
            .AddCheck<OperatorLoopHealthCheck>(OperatorLoopHealthCheck.Name, tags: [LiveTag])
            .AddCheck<KubernetesApiHealthCheck>(KubernetesApiHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<DaprWorkflowsHealthCheck>(DaprWorkflowsHealthCheck.Name, tags: [ReadyTag]);

        services.AddHostTelemetry(DefaultServiceName, otlpEndpoint, OperatorMetrics.MeterName);
        return services;
    }

    /// <summary>Maps <see cref="LivenessPath"/>, <see cref="ReadinessPath"/> and <see cref="MetricsPath"/>.</summary>
    /// <param name="app">The app built after <see cref="AddHpcK8sOperator(WebApplicationBuilder, Action{OperatorOptions}?)"/>.</param>
    /// <returns>The app.</returns>
    public static WebApplication MapHpcK8sOperator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthEndpoints();
        app.MapMetrics(MetricsPath, app.Services.GetRequiredService<PrometheusExport>().Registry);
        return app;
    }
}
