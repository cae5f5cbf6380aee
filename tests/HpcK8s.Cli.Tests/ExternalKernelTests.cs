using System.Diagnostics;
using System.Text.Json;
using HpcK8s.Testing.Interop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

/// <summary>
/// An external kernel end to end: the example Node app from examples/kernel-app behind a stand-in for daprd's
/// service-invocation API (the real route shape, <c>POST /v1.0/invoke/{appId}/method/{method}</c>), and the job's
/// workflows on the independent Durable Task sidecar.
/// </summary>
[Collection(DaprSidecarGroup.Name)]
public sealed class ExternalKernelTests(InteropSidecarFixture sidecar) : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private Process? _app;
    private WebApplication? _dapr;
    private string _daprHttp = "";

    public async Task InitializeAsync()
    {
        if (NodeTools.Node is null)
        {
            return;
        }

        var info = new ProcessStartInfo(NodeTools.Node, Path.Combine(RepoPaths.Examples, "kernel-app", "server.js"))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            Environment = { ["PORT"] = "0" },
        };
        _app = Process.Start(info)!;
        var line = await _app.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the kernel app did not start");
        var appUrl = $"http://127.0.0.1:{line["LISTENING ".Length..]}";

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _dapr = builder.Build();
        using var forward = new HttpClient();
        var client = new HttpClient();
        _dapr.MapPost("/v1.0/invoke/{appId}/method/{**method}", async (string appId, string method, HttpRequest request, HttpResponse response) =>
        {
            if (appId != "prime-kernel")
            {
                response.StatusCode = 500;
                await response.WriteAsync($"{{\"errorCode\":\"ERR_DIRECT_INVOKE\",\"message\":\"app {appId} not found\"}}");
                return;
            }

            using var content = new StreamContent(request.Body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var answer = await client.PostAsync($"{appUrl}/{method}", content);
            response.StatusCode = (int)answer.StatusCode;
            response.ContentType = "application/json";
            await response.WriteAsync(await answer.Content.ReadAsStringAsync());
        });
        await _dapr.StartAsync();
        _daprHttp = _dapr.Urls.First();
    }

    public async Task DisposeAsync()
    {
        _app?.Kill();
        _app?.Dispose();
        if (_dapr is not null)
        {
            await _dapr.DisposeAsync();
        }

        _cli.Dispose();
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(string manifest) =>
        _cli.RunAsync(Core.Kernels.KernelRegistry.BuiltIn, "run", manifest, "--output", "json", "--state-dir", _cli.StateDir,
            "--engine", "dapr", "--dapr-grpc-endpoint", sidecar.Endpoint, "--dapr-http-endpoint", _daprHttp);

    [InteropFact]
    public async Task ExampleKernelApp_CountsPrimesThroughServiceInvocation()
    {
        var (exit, stdout, stderr) = await RunAsync(Path.Combine(RepoPaths.Examples, "primes-external.yaml"));

        Assert.True(exit == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("Succeeded", report.RootElement.GetProperty("phase").GetString());
        Assert.Equal("prime-kernel/shard", report.RootElement.GetProperty("kernel").GetString());
        Assert.Equal("664579", report.RootElement.GetProperty("result").GetProperty("value").GetString()); // primes below 10^7
        Assert.Equal("16", report.RootElement.GetProperty("result").GetProperty("details").GetProperty("shards").GetString());
        Assert.Equal(16, report.RootElement.GetProperty("shards").GetProperty("executed").GetInt32());
    }

    [InteropFact]
    public async Task AppRejectsParameters_JobFailsWithTheAppsAnswer()
    {
        var manifest = _cli.Write("bad.yaml", File.ReadAllText(Path.Combine(RepoPaths.Examples, "primes-external.yaml"))
            .Replace("name: primes", "name: primes-bad", StringComparison.Ordinal)
            .Replace("limit: \"10000000\"", "limit: \"lots\"", StringComparison.Ordinal)
            .Replace("backoff: 1s", "backoff: 10ms", StringComparison.Ordinal));

        var (exit, stdout, _) = await RunAsync(manifest);

        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal("ShardRetriesExhausted", report.RootElement.GetProperty("reason").GetString());
        var message = report.RootElement.GetProperty("message").GetString();
        Assert.Contains("answered 400", message, StringComparison.Ordinal);
        Assert.Contains("spec.parameters.limit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalKernel_OnTheEmbeddedEngine_SaysItNeedsDapr()
    {
        var (exit, stdout, _) = await _cli.RunAsync(Core.Kernels.KernelRegistry.BuiltIn, "run", Path.Combine(RepoPaths.Examples, "primes-external.yaml"), "--output", "json", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        Assert.Contains("run with --engine dapr", stdout, StringComparison.Ordinal);
    }
}
