using System.Text.Json.Nodes;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Testing.Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Cli.Tests;

/// <summary>The HpcK8s ledger actors hosted in an ASP.NET Core app on Kestrel, behind the fake daprd (actor invocation
/// and the actor state API over real HTTP): what <c>kubectl port-forward</c> to a worker's sidecar reaches.</summary>
internal sealed class LedgerActorHost : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly WebApplication _app;

    private LedgerActorHost(FakeDaprd daprd, WebApplication app)
    {
        Daprd = daprd;
        _app = app;
    }

    public FakeDaprd Daprd { get; }

    public string SidecarUrl => Daprd.Url;

    public static async Task<LedgerActorHost> StartAsync(string? apiToken = null)
    {
        var daprd = await FakeDaprd.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHpcK8sLedgerActors(configureActors: actors =>
        {
            actors.HttpEndpoint = daprd.Url;
            if (apiToken is not null)
            {
                actors.DaprApiToken = apiToken;
            }
        });
        var app = builder.Build();
        app.MapActorsHandlers();
        await app.StartAsync();
        daprd.AppUrl = app.Urls.Single();
        daprd.RequiredApiToken = apiToken;
        return new LedgerActorHost(daprd, app);
    }

    /// <summary>Flips a bit of one stored entry of a replica's block, behind the actor's back, and deactivates the
    /// actor so that it reads its state again.</summary>
    public async Task TamperAsync(string ledgerId, int replica, long height)
    {
        var id = LedgerActorIds.For(ledgerId, replica).GetId();
        Daprd.State.Tamper(LedgerActorIds.ActorType, id, LedgerActor.BlockKey(height), json =>
        {
            var node = JsonNode.Parse(json)!;
            var entry = Convert.FromBase64String(node["entries"]![0]!.GetValue<string>());
            entry[^1] ^= 0x01;
            node["entries"]![0] = Convert.ToBase64String(entry);
            return node.ToJsonString();
        });
        await DeactivateAsync(id);
    }

    /// <summary>Loses a replica's whole state (a reset state store), and deactivates it.</summary>
    public async Task WipeAsync(string ledgerId, int replica)
    {
        var id = LedgerActorIds.For(ledgerId, replica).GetId();
        Daprd.State.Wipe(LedgerActorIds.ActorType, id);
        await DeactivateAsync(id);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await Daprd.DisposeAsync();
    }

    private async Task DeactivateAsync(string actorId)
    {
        using var response = await _http.DeleteAsync($"{_app.Urls.Single()}/actors/{LedgerActorIds.ActorType}/{actorId}");
        response.EnsureSuccessStatusCode();
    }
}
