namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// How the HpcK8s workflow worker and client reach daprd's Durable Task gRPC API. Bound from
/// <see cref="SectionName"/>; every setting works when left empty.
/// </summary>
/// <remarks>
/// The defaults follow <c>docs/dapr-workflow-protocol.md</c>, section 1: the sidecar's gRPC port, one stream per process,
/// HTTP/2 keepalive pings every 60 s (daprd closes connections pinged more often than every 8 s), a Hello every 30 s
/// (load balancers drop idle HTTP/2 connections), 100 workflows and 100 activities at once, and a reconnect backoff of
/// 1 s doubling up to 30 s with jitter.
/// </remarks>
public sealed class DaprWorkflowOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Dapr:Workflows";

    /// <summary>
    /// The sidecar's gRPC endpoint (http or https URI). Empty: <c>DAPR_GRPC_ENDPOINT</c>, else
    /// <c>http://127.0.0.1:$DAPR_GRPC_PORT</c>, else <c>http://127.0.0.1:50001</c>.
    /// </summary>
    public string? GrpcEndpoint { get; set; }

    /// <summary>The value of the <c>dapr-api-token</c> header. Empty: <c>DAPR_API_TOKEN</c>; unset: no header.</summary>
    public string? ApiToken { get; set; }

    /// <summary>How many workflow turns run at once (at least 1).</summary>
    public int MaxConcurrentWorkflows { get; set; } = 100;

    /// <summary>How many activities run at once (at least 1).</summary>
    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>The first reconnect delay (at least 100 ms, at most <see cref="MaxReconnectDelay"/>).</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest reconnect delay.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The interval of HTTP/2 keepalive pings (at least 10 s: daprd closes connections pinged more often than every 8 s).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a keepalive ping may go unanswered before the connection is closed.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker calls Hello while connected; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public TimeSpan HelloInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The deadline of a Hello call.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest message the worker accepts in bytes; null means no limit (one work item carries a whole history).</summary>
    public int? MaxReceiveMessageSize { get; set; }

    /// <summary>
    /// Validates the options.
    /// </summary>
    /// <returns>One message per problem, each naming the configuration key to fix; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(GrpcEndpoint) &&
            (!Uri.TryCreate(GrpcEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{SectionName}:{nameof(GrpcEndpoint)} must be an absolute http or https URI such as http://127.0.0.1:50001 (got '{GrpcEndpoint}').");
        }

        if (MaxConcurrentWorkflows < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxConcurrentWorkflows)} must be at least 1 (got {MaxConcurrentWorkflows}).");
        }

        if (MaxConcurrentActivities < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxConcurrentActivities)} must be at least 1 (got {MaxConcurrentActivities}).");
        }

        if (MinReconnectDelay < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{SectionName}:{nameof(MinReconnectDelay)} must be at least 00:00:00.1 (got {MinReconnectDelay}).");
        }

        if (MaxReconnectDelay < MinReconnectDelay)
        {
            errors.Add($"{SectionName}:{nameof(MaxReconnectDelay)} must not be shorter than {nameof(MinReconnectDelay)} (got {MaxReconnectDelay} < {MinReconnectDelay}).");
        }

        if (KeepAlivePingDelay < TimeSpan.FromSeconds(10))
        {
            errors.Add($"{SectionName}:{nameof(KeepAlivePingDelay)} must be at least 00:00:10: daprd closes connections that ping more often than every 8 s (got {KeepAlivePingDelay}).");
        }

        if (KeepAlivePingTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(KeepAlivePingTimeout)} must be positive (got {KeepAlivePingTimeout}).");
        }

        if (HelloInterval < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(HelloInterval)} must be zero (off) or positive (got {HelloInterval}).");
        }

        if (HelloTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(HelloTimeout)} must be positive (got {HelloTimeout}).");
        }

        if (MaxReceiveMessageSize is < 4 * 1024 * 1024)
        {
            errors.Add($"{SectionName}:{nameof(MaxReceiveMessageSize)} must be empty (no limit) or at least 4194304 bytes (got {MaxReceiveMessageSize}).");
        }

        return errors;
    }
}
