using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Testing.Dapr;

/// <summary>The parts of daprd's HTTP API that an actor app and an actor client use, on real Kestrel at 127.0.0.1:
/// the actor state API the SDK calls back (<c>POST /v1.0/actors/{type}/{id}/state</c>, a transaction of upserts and
/// deletes; <c>GET /v1.0/actors/{type}/{id}/state/{key}</c>, 200 with the JSON value or 204 when absent) and actor
/// invocation (<c>PUT /v1.0/actors/{type}/{id}/method/{method}</c>), forwarded to the app as
/// <c>PUT /actors/{type}/{id}/method/{method}</c> the way daprd does; and <c>GET /v1.0/healthz/outbound</c>, which a
/// worker's readiness check asks, answered with <see cref="OutboundStatus"/>.</summary>
public sealed class FakeDaprd : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _toApp = new();
    private int _outboundCalls;

    private FakeDaprd(WebApplication app) => _app = app;

    public InMemoryActorStateStore State { get; } = new();

    public string Url { get; private set; } = string.Empty;

    /// <summary>The actor app daprd forwards invocations to.</summary>
    public string? AppUrl { get; set; }

    /// <summary>When set, every call must carry it as <c>dapr-api-token</c> or is answered 401, as daprd does with
    /// <c>dapr.io/api-token-secret</c>.</summary>
    public string? RequiredApiToken { get; set; }

    /// <summary>What <c>/v1.0/healthz/outbound</c> answers: 204, as daprd does once ready, unless set otherwise.</summary>
    public HttpStatusCode OutboundStatus { get; set; } = HttpStatusCode.NoContent;

    /// <summary>How often <c>/v1.0/healthz/outbound</c> was asked.</summary>
    public int OutboundCalls => Volatile.Read(ref _outboundCalls);

    /// <summary>Invocations forwarded to the app: method, path, content of the body.</summary>
    public List<(string Method, string Path, string Body)> Forwarded { get; } = [];

    public static async Task<FakeDaprd> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var daprd = new FakeDaprd(app);
        app.Use(async (context, next) =>
        {
            if (daprd.RequiredApiToken is { } token && context.Request.Headers["dapr-api-token"].ToString() != token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { errorCode = "ERR_UNAUTHORIZED", message = "invalid api token" });
                return;
            }

            await next(context);
        });
        app.MapPost("/v1.0/actors/{type}/{id}/state", daprd.TransactAsync);
        app.MapPut("/v1.0/actors/{type}/{id}/state", daprd.TransactAsync);
        app.MapGet("/v1.0/actors/{type}/{id}/state/{key}", (string type, string id, string key) =>
            daprd.State.TryGet(type, id, key) is { } json ? Results.Text(json, "application/json") : Results.NoContent());
        app.MapMethods("/v1.0/actors/{type}/{id}/method/{method}", ["PUT", "POST"], daprd.ForwardAsync);
        app.MapGet("/v1.0/healthz/outbound", () =>
        {
            Interlocked.Increment(ref daprd._outboundCalls);
            return Results.StatusCode((int)daprd.OutboundStatus);
        });
        await app.StartAsync();
        daprd.Url = app.Urls.Single();
        return daprd;
    }

    public async ValueTask DisposeAsync()
    {
        _toApp.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TransactAsync(string type, string id, HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var operations = new List<(string Key, string? Json)>();
        foreach (var operation in body.RootElement.EnumerateArray())
        {
            var kind = operation.GetProperty("operation").GetString();
            var inner = operation.GetProperty("request");
            var key = inner.GetProperty("key").GetString()!;
            operations.Add(kind switch
            {
                "upsert" => (key, inner.GetProperty("value").GetRawText()),
                "delete" => (key, null),
                _ => throw new BadHttpRequestException($"unknown operation {kind}"),
            });
        }

        State.Transact(type, id, operations);
        return Results.NoContent();
    }

    private async Task ForwardAsync(string type, string id, string method, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var path = $"/actors/{type}/{id}/method/{method}";
        lock (Forwarded)
        {
            Forwarded.Add((context.Request.Method, path, body));
        }

        using var forward = new HttpRequestMessage(HttpMethod.Put, AppUrl + path) { Content = new StringContent(body, null, "application/json") };
        using var response = await _toApp.SendAsync(forward);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "application/json";
        await response.Content.CopyToAsync(context.Response.Body);
    }
}
