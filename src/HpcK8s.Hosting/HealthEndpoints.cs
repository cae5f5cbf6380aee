using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace HpcK8s.Hosting;

/// <summary>The probe endpoints every HpcK8s host serves, the Kubernetes way: <c>/healthz</c> for liveness, <c>/readyz</c>
/// for readiness, each running the health checks tagged for it and answering with <see cref="HealthReportWriter"/>'s JSON.</summary>
public static class HealthEndpoints
{
    /// <summary>Liveness endpoint (the pod's livenessProbe).</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness endpoint (the pod's readinessProbe).</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Health check tag of the liveness checks.</summary>
    public const string LiveTag = "live";

    /// <summary>Health check tag of the readiness checks.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps <see cref="LivenessPath"/> (checks tagged <see cref="LiveTag"/>) and <see cref="ReadinessPath"/> (checks
    /// tagged <see cref="ReadyTag"/>): 200 when all are healthy, 503 otherwise.</summary>
    /// <param name="endpoints">The app.</param>
    /// <returns>The app.</returns>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag), ResponseWriter = HealthReportWriter.WriteAsync });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync });
        return endpoints;
    }
}
