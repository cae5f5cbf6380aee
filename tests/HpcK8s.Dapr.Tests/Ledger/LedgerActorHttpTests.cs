using System.Net;
using System.Text;
using System.Text.Json;
using Dapr.Actors.Client;
using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcK8s.Dapr.Tests.Ledger;

/// <summary>The actor hosted in an ASP.NET Core app on Kestrel at 127.0.0.1:0, driven through the routes daprd calls,
/// with its state kept by <see cref="FakeDaprd"/> through the SDK's calls to the actor state API.</summary>
public sealed class LedgerActorHttpTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new();
    private FakeDaprd _daprd = null!;
    private WebApplication _app = null!;
    private string _appUrl = string.Empty;

    public async Task InitializeAsync()
    {
        _daprd = await FakeDaprd.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHpcK8sLedgerActors(configureActors: actors => actors.HttpEndpoint = _daprd.Url);
        _app = builder.Build();
        _app.MapActorsHandlers();
        await _app.StartAsync();
        _appUrl = _app.Urls.Single();
        _daprd.AppUrl = _appUrl;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _daprd.DisposeAsync();
    }

    [Fact]
    public async Task DaprConfigAndHealth_AsDaprdAsks_ListTheLedgerActorAndAreHealthy()
    {
        using var config = JsonDocument.Parse(await _http.GetStringAsync($"{_appUrl}/dapr/config"));
        var health = await _http.GetAsync($"{_appUrl}/healthz");

        Assert.Contains(LedgerActorIds.ActorType, config.RootElement.GetProperty("entities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task AppendAsync_PutLikeDaprd_PersistsThroughTheStateApiRefusesForksAndSurvivesDeactivation()
    {
        var id = LedgerActorIds.For("pi-demo-01", 0).GetId();
        var genesis = LedgerBlockBuilder.Build(LedgerHead.Empty("pi-demo-01"), [LedgerCluster.Accepted()], LedgerCluster.Time);
        var fork = LedgerBlockBuilder.Build(LedgerHead.Empty("pi-demo-01"), [LedgerCluster.Accepted()], LedgerCluster.Time.AddSeconds(1));

        var appended = await InvokeAsync<LedgerReplicaReply>(id, "AppendAsync", LedgerBlockData.From(genesis));
        var again = await InvokeAsync<LedgerReplicaReply>(id, "AppendAsync", LedgerBlockData.From(genesis));
        var refused = await InvokeAsync<LedgerReplicaReply>(id, "AppendAsync", LedgerBlockData.From(fork));

        Assert.Equal(LedgerReplicaOutcome.Appended, appended.Outcome);
        Assert.Equal(LedgerReplicaOutcome.AlreadyPresent, again.Outcome);
        Assert.Equal(LedgerReplicaOutcome.Refused, refused.Outcome);
        Assert.Equal(["block-0", "head"], _daprd.State.Keys(LedgerActorIds.ActorType, id));
        Assert.Equal(["block-0", "head"], _daprd.State.Transactions.Single().Keys.Order(StringComparer.Ordinal));

        var deactivated = await _http.DeleteAsync($"{_appUrl}/actors/{LedgerActorIds.ActorType}/{id}");
        var head = await InvokeAsync<LedgerReplicaHead>(id, "GetHeadAsync", null);

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal(genesis.Hash.ToString(), head.Hash);
    }

    [Fact]
    public async Task ReplicatedLedgerStore_OverSdkProxiesThroughDaprd_CommitsVerifiesAndRepairsALostReplica()
    {
        const string ledgerId = "pi-http-01";
        var options = Options.Create(new LedgerReplicationOptions { Replicas = 3, ReplicaTimeout = TimeSpan.FromSeconds(5) });
        var proxies = new ActorProxyFactory(new ActorProxyOptions { HttpEndpoint = _daprd.Url });
        var store = new ReplicatedLedgerStore(new DaprLedgerReplicaFactory(proxies), new FixedLedgerReplicaCountProvider(options), options);
        var writer = new LedgerWriter(store);

        await writer.AppendAsync(ledgerId, [LedgerCluster.Accepted()], LedgerCluster.Time);
        var shard = await writer.AppendAsync(ledgerId, [LedgerCluster.Shard(0)], LedgerCluster.Time.AddSeconds(1));
        var retried = await writer.AppendAsync(ledgerId, [LedgerCluster.Shard(0)], LedgerCluster.Time.AddSeconds(2));
        var completed = await writer.CompleteJobAsync(ledgerId, "3.14", 1, LedgerCluster.Time.AddSeconds(3));

        Assert.False(retried.Appended);
        Assert.Equal(shard.Positions, retried.Positions);
        var chain = await LedgerChain.LoadAsync(store, ledgerId);
        Assert.True(chain.Verify(expectedHeadHash: completed.Head.Hash).IsValid);
        var sent = _daprd.Forwarded.First(f => f.Path.EndsWith("/method/AppendAsync", StringComparison.Ordinal));
        Assert.Equal("PUT", sent.Method);
        Assert.StartsWith("/actors/LedgerActor/pi-http-01:", sent.Path);
        Assert.NotNull(JsonSerializer.Deserialize<LedgerBlockData>(sent.Body, Wire)?.Header);

        var lost = LedgerActorIds.For(ledgerId, 1).GetId();
        _daprd.State.Wipe(LedgerActorIds.ActorType, lost);
        await _http.DeleteAsync($"{_appUrl}/actors/{LedgerActorIds.ActorType}/{lost}");
        var report = await store.CheckAsync(ledgerId);

        Assert.Equal(LedgerReplicaCondition.Lagging, report.Replicas[1].Condition);
        Assert.True(report.Replicas[1].Repaired);
        Assert.Equal(["block-0", "block-1", "block-2", "head"], _daprd.State.Keys(LedgerActorIds.ActorType, lost));
    }

    private async Task<T> InvokeAsync<T>(string actorId, string method, object? body)
    {
        using var content = new StringContent(body is null ? string.Empty : JsonSerializer.Serialize(body, Wire), Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync($"{_appUrl}/actors/{LedgerActorIds.ActorType}/{actorId}/method/{method}", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Wire)!;
    }
}
