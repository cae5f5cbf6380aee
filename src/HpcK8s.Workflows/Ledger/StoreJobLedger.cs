using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.Jobs;
using JobLedgerHead = HpcK8s.Workflows.Jobs.LedgerHead;

namespace HpcK8s.Workflows.Ledger;

/// <summary>
/// Records the job workflows' ledger facts into any <see cref="ILedgerStore"/> (SQLite on one machine, the
/// replicated actor store on a cluster): one ledger per run, appends idempotent by entry key.
/// </summary>
/// <remarks>Activities call it from several worker threads; appends to one store are serialised here, because
/// a ledger grows one block at a time and a SQLite connection serves one thread at a time.</remarks>
public class StoreJobLedger : IJobLedger, IDisposable
{
    private readonly ILedgerStore _store;
    private readonly LedgerWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Records into <paramref name="store"/>; signs blocks when a key is given.</summary>
    public StoreJobLedger(ILedgerStore store, LedgerSigningKey? signer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _writer = new LedgerWriter(store, signer);
    }

    /// <inheritdoc />
    public async Task<JobLedgerHead?> AppendAsync(string jobName, IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var time = DateTimeOffset.UtcNow;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            LedgerAppendResult result;
            if (records is [{ Kind: LedgerRecord.JobCompleted } completed])
            {
                var shards = completed.Shards ?? throw new ArgumentException("a JobCompleted record needs the job's shard count", nameof(records));
                result = await _writer.CompleteJobAsync(jobName, completed.Value ?? "", shards, time, cancellationToken);
            }
            else
            {
                result = await _writer.AppendAsync(jobName, [.. records.Select(r => ToEntry(jobName, r))], time, cancellationToken);
            }

            return new JobLedgerHead(result.Head.Height, result.Head.Hash.ToString());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string ledgerId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return !(await _store.GetHeadAsync(ledgerId, cancellationToken)).IsEmpty;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the gate; subclasses that own their store dispose it too.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }
    }

    private static LedgerEntry ToEntry(string jobName, LedgerRecord record) => record.Kind switch
    {
        LedgerRecord.JobAccepted => LedgerEntry.JobAccepted(jobName, record.Kernel ?? "", Hash256.Parse(Required(record.Digest, "spec digest"))),
        LedgerRecord.ShardCompleted => LedgerEntry.ShardCompleted(
            record.Shard ?? throw new ArgumentException("ShardCompleted needs a shard index"),
            record.Attempt ?? 1,
            record.Worker ?? "",
            Hash256.Parse(Required(record.Digest, "result digest")),
            TimeSpan.FromMilliseconds(record.DurationMilliseconds ?? 0)),
        LedgerRecord.JobFailed => LedgerEntry.JobFailed(string.IsNullOrEmpty(record.Message) ? record.Reason ?? "" : $"{record.Reason}: {record.Message}"),
        _ => throw new ArgumentException($"a {record.Kind} record cannot be appended with other records; send it alone"),
    };

    private static string Required(string? value, string what) =>
        value ?? throw new ArgumentException($"the ledger record lacks its {what}");
}
