using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HpcK8s.Operator.Hosting;

/// <summary>Liveness: the operator loop (election, informer, controller) has not ended with an error. A dead loop would
/// leave a pod that serves probes but reconciles nothing; failing liveness gets it restarted.</summary>
internal sealed class OperatorLoopHealthCheck(OperatorService service) : IHealthCheck
{
    /// <summary>The check's name in health reports.</summary>
    public const string Name = "operator-loop";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loop = service.ExecuteTask;
        var result = loop is { IsFaulted: true }
            ? HealthCheckResult.Unhealthy($"The operator loop failed: {loop.Exception?.GetBaseException().Message}")
            : HealthCheckResult.Healthy(service.IsLeader ? $"Leading as {service.Identity}." : $"Standing by as {service.Identity}; leader: {service.Leader ?? "none yet"}.");
        return Task.FromResult(result);
    }
}
