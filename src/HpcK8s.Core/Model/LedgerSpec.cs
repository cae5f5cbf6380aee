namespace HpcK8s.Core.Model;

/// <summary>How the job's ledger is kept.</summary>
public sealed class LedgerSpec
{
    /// <summary>Ledger replicas on a cluster: 1 to 7, odd numbers recommended. Default 3. The embedded engine
    /// keeps one SQLite copy whatever this says.</summary>
    public int Replicas { get; set; } = 3;
}
