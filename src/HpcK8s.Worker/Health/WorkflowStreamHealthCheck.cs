using System.Globalization;
using HpcK8s.Dapr.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HpcK8s.Worker.Health;

/// <summary>Ready while the <see cref="DaprWorkflowWorker"/>'s work-item stream to the sidecar is open and the host is not stopping.</summary>
/// <remarks>A worker without its stream receives no work, so Kubernetes should not count it as ready; a stopping worker
/// drains and should receive none.</remarks>
public sealed class WorkflowStreamHealthCheck : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "workflow-stream";

    private readonly DaprWorkflowWorker _worker;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly string _endpoint;

    /// <summary>Creates the check.</summary>
    /// <param name="worker">The workflow worker.</param>
    /// <param name="lifetime">Tells whether the host is stopping.</param>
    /// <param name="options">Where the sidecar's gRPC endpoint is (named in the description).</param>
    public WorkflowStreamHealthCheck(DaprWorkflowWorker worker, IHostApplicationLifetime lifetime, IOptions<DaprWorkflowOptions> options)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        _worker = worker;
        _lifetime = lifetime;
        _endpoint = DescribeEndpoint(options.Value.GrpcEndpoint);
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var counters = _worker.Counters;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["streamsOpened"] = counters.StreamsOpened,
            ["reconnects"] = counters.Reconnects,
        };
        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The worker is shutting down: it finishes the shards in flight and takes no new work.", data: data));
        }

        if (_worker.IsStreamConnected)
        {
            return Task.FromResult(HealthCheckResult.Healthy("The work-item stream to the Dapr sidecar is open.", data));
        }

        return Task.FromResult(HealthCheckResult.Unhealthy(
            string.Create(CultureInfo.InvariantCulture,
                $"The work-item stream to the Dapr sidecar at {_endpoint} is not open ({counters.StreamsOpened} opened, {counters.Reconnects} reconnects so far); " +
                $"the worker keeps reconnecting. Check that daprd runs beside the app and that {DaprWorkflowOptions.SectionName}:{nameof(DaprWorkflowOptions.GrpcEndpoint)} or DAPR_GRPC_PORT points at it."),
            data: data));
    }

    private static string DescribeEndpoint(string? configured)
    {
        try
        {
            return DaprSidecarEndpoint.Resolve(configured).ToString();
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
