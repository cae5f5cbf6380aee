using Dapr;
using Dapr.Actors.Client;
using HpcK8s.Dapr.Workflows;

namespace HpcK8s.Cli.Ledgers;

/// <summary>The Dapr sidecar the ledger actors are reached through: <c>--dapr-http-endpoint</c>, else
/// <c>DAPR_HTTP_ENDPOINT</c>, else <c>http://127.0.0.1:$DAPR_HTTP_PORT</c> (default 3500); the API token is
/// <c>DAPR_API_TOKEN</c>, as for <c>hpck8s run</c> and Dapr's own SDKs.</summary>
internal sealed class DaprSidecar
{
    private DaprSidecar(string httpEndpoint, string? apiToken)
    {
        HttpEndpoint = httpEndpoint;
        ApiToken = apiToken;
    }

    public string HttpEndpoint { get; }

    public string? ApiToken { get; }

    /// <summary>Resolves the endpoint and token.</summary>
    /// <exception cref="CliException">The endpoint is not an absolute http(s) URL.</exception>
    public static DaprSidecar Resolve(string? httpEndpoint)
    {
        var endpoint = string.IsNullOrWhiteSpace(httpEndpoint) ? DaprDefaults.GetDefaultHttpEndpoint() : httpEndpoint.Trim();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var source = string.IsNullOrWhiteSpace(httpEndpoint) ? "DAPR_HTTP_ENDPOINT" : "--dapr-http-endpoint";
            throw new CliException(ExitCodes.InvalidInput, $"{source} must be an absolute http or https URL such as http://127.0.0.1:3500 (got '{endpoint}')");
        }

        return new DaprSidecar(endpoint.TrimEnd('/'), DaprSidecarEndpoint.ResolveApiToken());
    }

    /// <summary>Actor proxies through this sidecar, sending the API token when there is one.</summary>
    public ActorProxyFactory CreateProxies()
    {
        var options = new ActorProxyOptions { HttpEndpoint = HttpEndpoint };
        if (ApiToken is not null)
        {
            // The SDK refuses a null token; without one it sends no header.
            options.DaprApiToken = ApiToken;
        }

        return new ActorProxyFactory(options);
    }
}
