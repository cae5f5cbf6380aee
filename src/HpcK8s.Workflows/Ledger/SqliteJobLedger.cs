using HpcK8s.Core.Ledger;

namespace HpcK8s.Workflows.Ledger;

/// <summary>The embedded engine's ledger: every run's hash chain in one SQLite file under the state directory.</summary>
public sealed class SqliteJobLedger : StoreJobLedger
{
    private readonly SqliteLedgerStore _store;

    /// <summary>Opens (or creates) the ledger file at <paramref name="path"/>; signs blocks when a key is given.</summary>
    public SqliteJobLedger(string path, LedgerSigningKey? signer = null)
        : this(new SqliteLedgerStore(path), signer)
    {
    }

    private SqliteJobLedger(SqliteLedgerStore store, LedgerSigningKey? signer)
        : base(store, signer)
    {
        _store = store;
    }

    /// <summary>The ledger file of a state directory.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, "ledger.db");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _store.Dispose();
        }

        base.Dispose(disposing);
    }
}
