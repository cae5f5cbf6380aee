namespace HpcK8s.Worker;

/// <summary>
/// Settings of the worker host (section <see cref="SectionName"/>). Every setting works when left empty.
/// </summary>
/// <remarks>The sidecar's gRPC endpoint and the work-item concurrency are <c>Dapr:Workflows</c> settings
/// (<see cref="HpcK8s.Dapr.Workflows.DaprWorkflowOptions"/>); the ledger replication settings are <c>HpcK8s:Ledger</c>
/// (<see cref="HpcK8s.Dapr.Ledger.LedgerReplicationOptions"/>).</remarks>
public sealed class HpcK8sWorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "HpcK8s:Worker";

    /// <summary><see cref="LedgerStore"/> value: record the jobs' ledgers through the replicated ledger actors.</summary>
    public const string LedgerStoreActors = "actors";

    /// <summary><see cref="LedgerStore"/> value: record no ledger (for tests and runs without an actor state store).</summary>
    public const string LedgerStoreNone = "none";

    /// <summary>
    /// How long a stopping worker may take: shards in flight get this long to finish and report; when it runs out they
    /// are cancelled (abandoned; the sidecar dispatches them again to another worker). More than zero, at most one hour.
    /// Default 25 seconds, inside Kubernetes' default 30-second termination grace period.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// daprd's HTTP endpoint (http or https URI), used by the readiness check and the actor proxies. Empty:
    /// <c>DAPR_HTTP_ENDPOINT</c>, else <c>http://127.0.0.1:$DAPR_HTTP_PORT</c>, else <c>http://127.0.0.1:3500</c>.
    /// </summary>
    public string? DaprHttpEndpoint { get; set; }

    /// <summary>How long the readiness check waits for daprd's <c>/v1.0/healthz/outbound</c>: more than zero, at most
    /// 30 seconds. Default 2 seconds.</summary>
    public TimeSpan SidecarHealthTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where the job workflows record their ledgers: <see cref="LedgerStoreActors"/> (default) or
    /// <see cref="LedgerStoreNone"/>. Case-insensitive. An <see cref="HpcK8s.Workflows.Jobs.IJobLedger"/> registered in
    /// the services before the worker takes precedence over both.
    /// </summary>
    public string LedgerStore { get; set; } = LedgerStoreActors;

    /// <summary>Validates the options.</summary>
    /// <returns>One message per problem, each naming the configuration key to fix; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ShutdownTimeout <= TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{SectionName}:{nameof(ShutdownTimeout)} must be more than zero and at most 01:00:00 (got {ShutdownTimeout}).");
        }

        if (!string.IsNullOrWhiteSpace(DaprHttpEndpoint) && !DaprHttpEndpointResolver.IsHttpUri(DaprHttpEndpoint))
        {
            errors.Add($"{SectionName}:{nameof(DaprHttpEndpoint)} must be an absolute http or https URI such as http://127.0.0.1:3500 (got '{DaprHttpEndpoint}').");
        }

        if (SidecarHealthTimeout <= TimeSpan.Zero || SidecarHealthTimeout > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{SectionName}:{nameof(SidecarHealthTimeout)} must be more than zero and at most 00:00:30 (got {SidecarHealthTimeout}).");
        }

        if (!string.Equals(LedgerStore, LedgerStoreActors, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(LedgerStore, LedgerStoreNone, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{SectionName}:{nameof(LedgerStore)} must be '{LedgerStoreActors}' or '{LedgerStoreNone}' (got '{LedgerStore}').");
        }

        return errors;
    }
}
