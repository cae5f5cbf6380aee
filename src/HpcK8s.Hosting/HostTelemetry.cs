using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HpcK8s.Hosting;

/// <summary>OpenTelemetry for an HpcK8s host: its spans (and ASP.NET Core's) always, exported by OTLP only when an
/// endpoint is configured; its meter by OTLP then too (Prometheus serves it regardless).</summary>
public static class HostTelemetry
{
    /// <summary>Adds tracing for <paramref name="activitySources"/> and <c>Microsoft.AspNetCore</c>, and, when
    /// <paramref name="otlpEndpoint"/> is set, the OTLP exporter for those spans and for meter <paramref name="meterName"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="defaultServiceName">The service name unless <c>OTEL_SERVICE_NAME</c> says otherwise.</param>
    /// <param name="otlpEndpoint"><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; empty: no export.</param>
    /// <param name="meterName">The host's meter.</param>
    /// <param name="activitySources">The host's activity sources.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, string defaultServiceName, string? otlpEndpoint, string meterName, params string[] activitySources)
    {
        ArgumentNullException.ThrowIfNull(services);
        var exportOtlp = !string.IsNullOrWhiteSpace(otlpEndpoint);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : defaultServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. activitySources, "Microsoft.AspNetCore"]);
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        if (exportOtlp)
        {
            telemetry.WithMetrics(metrics => metrics.AddMeter(meterName).AddOtlpExporter());
        }

        return services;
    }
}
