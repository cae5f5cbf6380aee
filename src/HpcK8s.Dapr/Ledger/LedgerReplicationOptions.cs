namespace HpcK8s.Dapr.Ledger;

/// <summary>Settings of the replicated ledger (section <c>HpcK8s:Ledger</c>); all have working defaults.</summary>
public sealed class LedgerReplicationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "HpcK8s:Ledger";

    /// <summary>Replicas per ledger when the job does not say (<c>spec.ledger.replicas</c>): 1 to 7, odd recommended.
    /// Default 3.</summary>
    public int Replicas { get; set; } = 3;

    /// <summary>How long the store waits for one replica's answer before counting it as unreachable: more than zero,
    /// at most 5 minutes. Default 5 seconds.</summary>
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Blocks per read or repair call, to stay under the sidecar's request body limit: 1 to 1024. Default 128.</summary>
    public int PageSize { get; set; } = 128;
}
