namespace HpcK8s.Core.Model;

/// <summary>The ledger head as anchored in status.</summary>
public sealed class LedgerStatus
{
    /// <summary>The ledger's id in the store (a job's first run uses its name locally, its workflow instance id on a
    /// cluster); the <c>hpck8s ledger</c> commands take it.</summary>
    public string? Id { get; set; }

    /// <summary>Number of blocks.</summary>
    public long Height { get; set; }

    /// <summary><c>sha256:</c> + hex of the head block's hash.</summary>
    public string Head { get; set; } = "";

    /// <summary>Replicas holding the head.</summary>
    public int Replicas { get; set; }

    /// <summary>Whether the last read cross-checked and verified the chain.</summary>
    public bool Verified { get; set; }
}
