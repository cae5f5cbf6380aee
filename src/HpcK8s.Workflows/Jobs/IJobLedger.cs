namespace HpcK8s.Workflows.Jobs;

/// <summary>The port through which job workflows record their ledger (called from the RecordLedger activity).</summary>
/// <remarks>Appends must be idempotent: the activity runs at least once, so the same records may arrive twice;
/// an implementation keys entries by (job, kind, shard, attempt) and ignores repeats.</remarks>
public interface IJobLedger
{
    /// <summary>Appends <paramref name="records"/> to job <paramref name="jobName"/>'s ledger as one block.</summary>
    /// <returns>The head after the append, or null when this ledger keeps no chain.</returns>
    Task<LedgerHead?> AppendAsync(string jobName, IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken);

    /// <summary>Whether a ledger named <paramref name="ledgerId"/> has any block yet.</summary>
    Task<bool> ExistsAsync(string ledgerId, CancellationToken cancellationToken);
}
