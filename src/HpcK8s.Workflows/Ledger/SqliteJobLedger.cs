using HpcK8s.Core.Ledger;
using HpcK8s.Workflows.Jobs;
using JobLedgerHead = HpcK8s.Workflows.Jobs.LedgerHead;

namespace HpcK8s.Workflows.Ledger;

/// <summary>
/// The embedded engine's ledger: each job's hash chain in one SQLite file under the state directory, one
/// ledger per job name, appends idempotent by entry key.
/// </summary>
/// <remarks>Activities call it from several worker threads; appends are serialised here because a SQLite
/// connection serves one thread at a time.</remarks>
public sealed class SqliteJobLedger : IJobLedger, IDisposable
{
    private readonly SqliteLedgerStore _store;
    private readonly LedgerWriter _writer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Opens (or creates) the ledger file at <paramref name="path"/>; signs blocks when a key is given.</summary>
    public SqliteJobLedger(string path, LedgerSigningKey? signer = null)
    {
        _store = new SqliteLedgerStore(path);
        _writer = new LedgerWriter(_store, signer);
    }

    /// <summary>The ledger file of a state directory.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, "ledger.db");

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
        _store.Dispose();
        _gate.Dispose();
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
