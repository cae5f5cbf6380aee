using Dapr.Actors.Runtime;
using HpcK8s.Core.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Ledger;

/// <summary>Registers the replicated ledger: the <see cref="LedgerActor"/> type with the Dapr actor runtime, and the
/// <see cref="ReplicatedLedgerStore"/> as the <see cref="ILedgerStore"/>.</summary>
public static class LedgerServiceCollectionExtensions
{
    /// <summary>Adds the ledger actors and the replicated store. Options bind from <c>HpcK8s:Ledger</c> and are
    /// validated on start. The actor state goes to the state store component marked <c>actorStateStore: "true"</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <param name="configureActors">Adjusts the Dapr actor runtime (register more actors, set the sidecar endpoint, …);
    /// <c>AddActors</c> may also be called again elsewhere: registrations add up.</param>
    /// <returns>The services.</returns>
    /// <example><code>builder.Services.AddHpcK8sLedgerActors();
    /// var app = builder.Build();
    /// app.MapActorsHandlers();</code></example>
    public static IServiceCollection AddHpcK8sLedgerActors(
        this IServiceCollection services, Action<LedgerReplicationOptions>? configure = null, Action<ActorRuntimeOptions>? configureActors = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LedgerReplicationOptions>().BindConfiguration(LedgerReplicationOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerReplicationOptions>, LedgerReplicationOptionsValidator>());
        services.AddActors(actors =>
        {
            if (!actors.Actors.Any(a => a.Type.ImplementationType == typeof(LedgerActor)))
            {
                actors.Actors.RegisterActor<LedgerActor>();
            }

            configureActors?.Invoke(actors);
        });
        services.TryAddSingleton<ILedgerReplicaFactory, DaprLedgerReplicaFactory>();
        services.TryAddSingleton<ILedgerReplicaCountProvider, FixedLedgerReplicaCountProvider>();
        services.TryAddSingleton<ReplicatedLedgerStore>();
        services.TryAddSingleton<ILedgerStore>(sp => sp.GetRequiredService<ReplicatedLedgerStore>());
        return services;
    }
}
