using Dapr.Actors.Runtime;
using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Tests.Ledger;

public class LedgerServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddHpcK8sLedgerActors();
        services.AddHpcK8sLedgerActors();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddHpcK8sLedgerActors_EmptyConfiguration_RegistersTheActorOnceAndTheReplicatedStore()
    {
        using var provider = Build([]);

        var actors = provider.GetRequiredService<IOptions<ActorRuntimeOptions>>().Value.Actors;
        Assert.Single(actors, a => a.Type.ImplementationType == typeof(LedgerActor));
        Assert.Equal(LedgerActorIds.ActorType, actors.Single().Type.ActorTypeName);
        Assert.IsType<ReplicatedLedgerStore>(provider.GetRequiredService<ILedgerStore>());
        Assert.Equal(3, provider.GetRequiredService<IOptions<LedgerReplicationOptions>>().Value.Replicas);
    }

    [Fact]
    public void AddHpcK8sLedgerActors_ReplicasOutOfRange_FailsNamingTheKey()
    {
        using var provider = Build(new() { ["HpcK8s:Ledger:Replicas"] = "9", ["HpcK8s:Ledger:ReplicaTimeout"] = "00:00:00" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LedgerReplicationOptions>>().Value);

        Assert.Contains("HpcK8s:Ledger:Replicas must be between 1 and 7, got 9", error.Message);
        Assert.Contains("HpcK8s:Ledger:ReplicaTimeout", error.Message);
    }
}
