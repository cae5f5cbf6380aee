namespace HpcK8s.Dapr.Ledger;

/// <summary>Fewer than a majority of a ledger's replicas answered or agreed, so the store could not append or read
/// safely. Nothing committed before is lost: retry once the replicas are back (appends are idempotent through
/// <see cref="HpcK8s.Core.Ledger.LedgerWriter"/>).</summary>
public sealed class LedgerQuorumException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerQuorumException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public LedgerQuorumException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public LedgerQuorumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from what the replicas said.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="operation">What was attempted, e.g. "append block 4".</param>
    /// <param name="replicaCount">Replicas the ledger has.</param>
    /// <param name="quorum">Replicas needed.</param>
    /// <param name="acknowledged">Replicas that acknowledged.</param>
    /// <param name="replicas">Each replica's answer.</param>
    public LedgerQuorumException(string ledgerId, string operation, int replicaCount, int quorum, int acknowledged, IReadOnlyList<LedgerReplicaState> replicas)
        : base($"ledger {ledgerId}: {operation} reached {acknowledged} of {replicaCount} replicas, needs {quorum}: "
            + string.Join("; ", replicas ?? []) + ". Nothing committed is lost; bring the replicas' Dapr sidecars and state store back and retry.")
    {
        LedgerId = ledgerId;
        ReplicaCount = replicaCount;
        Quorum = quorum;
        Acknowledged = acknowledged;
        Replicas = replicas ?? [];
    }

    /// <summary>The ledger id.</summary>
    public string LedgerId { get; } = string.Empty;

    /// <summary>Replicas the ledger has.</summary>
    public int ReplicaCount { get; }

    /// <summary>Replicas needed.</summary>
    public int Quorum { get; }

    /// <summary>Replicas that acknowledged.</summary>
    public int Acknowledged { get; }

    /// <summary>Each replica's answer.</summary>
    public IReadOnlyList<LedgerReplicaState> Replicas { get; } = [];
}
