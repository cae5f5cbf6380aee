using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Worker.Tests;

/// <summary>daprd's HTTP API as far as the worker's readiness check uses it: <c>GET /v1.0/healthz/outbound</c>,
/// answered with <see cref="OutboundStatus"/> (204 as daprd says when ready), on Kestrel at 127.0.0.1:0.</summary>
internal sealed class FakeDaprd : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _outboundCalls;

    private FakeDaprd(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public HttpStatusCode OutboundStatus { get; set; } = HttpStatusCode.NoContent;

    public int OutboundCalls => Volatile.Read(ref _outboundCalls);

    public static async Task<FakeDaprd> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var daprd = new FakeDaprd(app);
        app.MapGet("/v1.0/healthz/outbound", () =>
        {
            Interlocked.Increment(ref daprd._outboundCalls);
            return Results.StatusCode((int)daprd.OutboundStatus);
        });
        await app.StartAsync();
        return daprd;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
