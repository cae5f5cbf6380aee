using HpcK8s.Cli.Ledgers;
using HpcK8s.Core.Ledger;
using HpcK8s.Core.Model;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Ledger;
using Microsoft.Extensions.Options;

namespace HpcK8s.Cli.Running;

/// <summary>Opens the ledger a run records into: SQLite in the state directory, or LedgerActor replicas through Dapr.</summary>
internal static class JobLedgers
{
    public static IJobLedger Open(ComputeJob job, JobRunOptions options, EngineChoice choice)
    {
        var signer = choice.SigningKeyPath is null ? null : LedgerKeyFiles.LoadSigningKey(choice.SigningKeyPath);
        if (choice.Ledger == "dapr")
        {
            // The replicas live in the HpcK8s worker app's actor runtime, reached through this process's sidecar.
            var replication = new LedgerReplicationOptions { Replicas = job.Spec.Ledger.Replicas };
            // --dapr-http-endpoint names the sidecar for the ledger too, not only for external kernels.
            var proxies = DaprSidecar.Resolve(choice.DaprHttpEndpoint).CreateProxies();
            var store = new ReplicatedLedgerStore(
                new DaprLedgerReplicaFactory(proxies), new FixedCount(job.Spec.Ledger.Replicas), Options.Create(replication));
            return new StoreJobLedger(store, signer);
        }

        Directory.CreateDirectory(options.StateDir);
        return new SqliteJobLedger(SqliteJobLedger.PathIn(options.StateDir), signer);
    }

    private sealed class FixedCount(int replicas) : ILedgerReplicaCountProvider
    {
        public ValueTask<int> GetReplicaCountAsync(string ledgerId, CancellationToken cancellationToken) => ValueTask.FromResult(replicas);
    }
}
