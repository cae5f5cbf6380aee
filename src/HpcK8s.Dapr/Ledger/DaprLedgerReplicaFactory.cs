using Dapr.Actors.Client;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Replicas reached through Dapr: non-remoting actor proxies, so that each call is the JSON
/// <c>PUT /v1.0/actors/LedgerActor/{id}/method/{method}</c> that daprd forwards to the app as
/// <c>PUT /actors/LedgerActor/{id}/method/{method}</c>.</summary>
public sealed class DaprLedgerReplicaFactory : ILedgerReplicaFactory
{
    private readonly IActorProxyFactory _proxies;

    /// <summary>Creates the factory.</summary>
    /// <param name="proxies">The actor proxy factory (from <c>AddActors</c>, or one with its own options).</param>
    public DaprLedgerReplicaFactory(IActorProxyFactory proxies)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        _proxies = proxies;
    }

    /// <inheritdoc />
    public ILedgerReplica Create(string ledgerId, int replicaIndex) =>
        new DaprLedgerReplica(replicaIndex, _proxies.Create(LedgerActorIds.For(ledgerId, replicaIndex), LedgerActorIds.ActorType));
}
