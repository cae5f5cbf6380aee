using System.Globalization;

namespace HpcK8s.Worker;

/// <summary>Where daprd's HTTP API is: the same rules as Dapr's own SDKs.</summary>
public static class DaprHttpEndpointResolver
{
    /// <summary>The default daprd HTTP port.</summary>
    public const int DefaultHttpPort = 3500;

    /// <summary>
    /// Resolves the endpoint: <paramref name="configured"/> if set, else <c>DAPR_HTTP_ENDPOINT</c>, else
    /// <c>http://127.0.0.1:$DAPR_HTTP_PORT</c>, else <c>http://127.0.0.1:3500</c>.
    /// </summary>
    /// <param name="configured">An explicitly configured endpoint (<c>HpcK8s:Worker:DaprHttpEndpoint</c>), or null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable (tests pass a fake); null means the process environment.</param>
    /// <returns>The endpoint URI, without a trailing path.</returns>
    /// <exception cref="InvalidOperationException">A value is not an http(s) URI or a port number; the message names it.</exception>
    public static Uri Resolve(string? configured = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Parse(configured, $"{HpcK8sWorkerOptions.SectionName}:{nameof(HpcK8sWorkerOptions.DaprHttpEndpoint)}");
        }

        var endpoint = getEnvironmentVariable("DAPR_HTTP_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return Parse(endpoint, "DAPR_HTTP_ENDPOINT");
        }

        var port = getEnvironmentVariable("DAPR_HTTP_PORT");
        if (string.IsNullOrWhiteSpace(port))
        {
            return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{DefaultHttpPort}"));
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new InvalidOperationException($"DAPR_HTTP_PORT must be a port number from 1 to 65535 (got '{port}').");
        }

        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{number}"));
    }

    /// <summary>Whether <paramref name="value"/> is an absolute http or https URI.</summary>
    /// <param name="value">The text to check.</param>
    /// <returns>True when it is.</returns>
    public static bool IsHttpUri(string value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static Uri Parse(string value, string key) =>
        IsHttpUri(value)
            ? new Uri(value.Trim())
            : throw new InvalidOperationException($"{key} must be an absolute http or https URI such as http://127.0.0.1:3500 (got '{value}').");
}
