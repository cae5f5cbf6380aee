using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Every ledger has <see cref="LedgerReplicationOptions.Replicas"/> replicas.</summary>
internal sealed class FixedLedgerReplicaCountProvider(IOptions<LedgerReplicationOptions> options) : ILedgerReplicaCountProvider
{
    public ValueTask<int> GetReplicaCountAsync(string ledgerId, CancellationToken cancellationToken) => ValueTask.FromResult(options.Value.Replicas);
}
