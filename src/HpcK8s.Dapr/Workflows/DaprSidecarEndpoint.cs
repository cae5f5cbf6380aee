using System.Globalization;

namespace HpcK8s.Dapr.Workflows;

/// <summary>Where daprd's gRPC API is: the same rules as Dapr's own SDKs.</summary>
public static class DaprSidecarEndpoint
{
    /// <summary>The default daprd gRPC port.</summary>
    public const int DefaultGrpcPort = 50001;

    /// <summary>
    /// Resolves the endpoint: <paramref name="configured"/> if set, else <c>DAPR_GRPC_ENDPOINT</c>, else
    /// <c>http://127.0.0.1:$DAPR_GRPC_PORT</c>, else <c>http://127.0.0.1:50001</c>.
    /// </summary>
    /// <param name="configured">An explicitly configured endpoint, or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (tests pass a fake); null means the process environment.</param>
    /// <returns>The endpoint URI.</returns>
    /// <exception cref="InvalidOperationException">A configured value is not an http(s) URI or a port number.</exception>
    public static Uri Resolve(string? configured = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return ParseUri(configured, $"{DaprWorkflowOptions.SectionName}:{nameof(DaprWorkflowOptions.GrpcEndpoint)}");
        }

        var endpoint = getEnvironmentVariable("DAPR_GRPC_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return ParseUri(endpoint, "DAPR_GRPC_ENDPOINT");
        }

        var port = getEnvironmentVariable("DAPR_GRPC_PORT");
        if (string.IsNullOrWhiteSpace(port))
        {
            return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{DefaultGrpcPort}"));
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new InvalidOperationException($"DAPR_GRPC_PORT must be a port number from 1 to 65535 (got '{port}').");
        }

        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{number}"));
    }

    /// <summary>The API token to send as <c>dapr-api-token</c>: <paramref name="configured"/>, else <c>DAPR_API_TOKEN</c>, else null.</summary>
    /// <param name="configured">An explicitly configured token, or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; null means the process environment.</param>
    /// <returns>The token, or null for none.</returns>
    public static string? ResolveApiToken(string? configured = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var token = getEnvironmentVariable("DAPR_API_TOKEN");
        return string.IsNullOrEmpty(token) ? null : token;
    }

    private static Uri ParseUri(string value, string key)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw new InvalidOperationException($"{key} must be an absolute http or https URI such as http://127.0.0.1:50001 (got '{value}').");
    }
}
