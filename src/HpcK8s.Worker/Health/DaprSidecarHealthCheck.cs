using System.Globalization;
using HpcK8s.Dapr.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HpcK8s.Worker.Health;

/// <summary>Ready while daprd answers <c>GET /v1.0/healthz/outbound</c> with a success status (daprd says 204 once its
/// components and APIs are up, whether or not the app is).</summary>
public sealed class DaprSidecarHealthCheck : IHealthCheck
{
    /// <summary>The check's name in <c>/readyz</c>.</summary>
    public const string Name = "dapr-sidecar";

    /// <summary>The name of the <see cref="HttpClient"/> the check uses (from <see cref="IHttpClientFactory"/>).</summary>
    public const string HttpClientName = "hpck8s-dapr-sidecar-health";

    /// <summary>The path daprd answers when its outbound side (components, APIs) is ready.</summary>
    public const string OutboundHealthPath = "v1.0/healthz/outbound";

    private readonly IHttpClientFactory _httpClients;
    private readonly HpcK8sWorkerOptions _options;

    /// <summary>Creates the check.</summary>
    /// <param name="httpClients">Makes the HTTP client.</param>
    /// <param name="options">Where daprd is and how long to wait for it.</param>
    public DaprSidecarHealthCheck(IHttpClientFactory httpClients, IOptions<HpcK8sWorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _options = options.Value;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Uri endpoint;
        try
        {
            endpoint = DaprHttpEndpointResolver.Resolve(_options.DaprHttpEndpoint);
        }
        catch (InvalidOperationException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }

        var url = new Uri(endpoint, OutboundHealthPath);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SidecarHealthTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (DaprSidecarEndpoint.ResolveApiToken() is { } token)
            {
                request.Headers.TryAddWithoutValidation("dapr-api-token", token);
            }

            var client = _httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"daprd at {endpoint} answered {(int)response.StatusCode} to GET /{OutboundHealthPath}."))
                : HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                    $"daprd at {endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} to GET /{OutboundHealthPath}: the sidecar is up but not ready (components or APIs still starting)."));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"daprd at {endpoint} did not answer GET /{OutboundHealthPath} within {_options.SidecarHealthTimeout} ({HpcK8sWorkerOptions.SectionName}:{nameof(HpcK8sWorkerOptions.SidecarHealthTimeout)})."));
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy(
                $"daprd at {endpoint} could not be reached ({ex.Message}). Check that the sidecar runs beside the app and that " +
                $"{HpcK8sWorkerOptions.SectionName}:{nameof(HpcK8sWorkerOptions.DaprHttpEndpoint)}, DAPR_HTTP_ENDPOINT or DAPR_HTTP_PORT points at it.",
                ex);
        }
    }
}
