using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HpcK8s.Testing;
using HpcK8s.Worker.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HpcK8s.Worker.Tests;

/// <summary>The worker as Program.cs builds it (AddHpcK8sWorker + MapHpcK8sWorker), on Kestrel at 127.0.0.1:0, with
/// the given configuration; requests go over real HTTP.</summary>
internal sealed class WorkerHost : IAsyncDisposable
{
    private WorkerHost(WebApplication app)
    {
        App = app;
        Url = app.Urls.Single();
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public string Url { get; }

    public HttpClient Http { get; }

    public static async Task<WorkerHost> StartAsync(
        IDictionary<string, string?> settings, ITestOutputHelper? output = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (output is not null)
        {
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        }

        builder.AddHpcK8sWorker();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapHpcK8sWorker();
        await app.StartAsync();
        return new WorkerHost(app);
    }

    /// <summary>Settings pointing the worker at nothing: free loopback ports where no one listens.</summary>
    public static Dictionary<string, string?> Unreachable() => new()
    {
        ["Dapr:Workflows:GrpcEndpoint"] = $"http://127.0.0.1:{FreePort()}",
        ["HpcK8s:Worker:DaprHttpEndpoint"] = $"http://127.0.0.1:{FreePort()}",
        ["HpcK8s:Worker:LedgerStore"] = "none",
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Polls <c>/readyz</c> until it answers <paramref name="expected"/>; returns that answer's body.</summary>
    public async Task<JsonElement> WaitForReadinessAsync(HttpStatusCode expected, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        (HttpStatusCode Status, JsonElement Body) last = default;
        while (!cts.IsCancellationRequested)
        {
            last = await GetHealthAsync(HpcK8sWorkerExtensions.ReadinessPath);
            if (last.Status == expected)
            {
                return last.Body;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        throw new TimeoutException($"/readyz did not answer {(int)expected} within {timeout}; last answer {(int)last.Status}: {last.Body}");
    }

    public Task<string> GetMetricsAsync() => Http.GetStringAsync(HpcK8sWorkerExtensions.MetricsPath);

    /// <summary>The metrics as /metrics would show them, read from the registry (works after the host stopped).</summary>
    public async Task<string> CollectMetricsAsync()
    {
        using var stream = new MemoryStream();
        await App.Services.GetRequiredService<HpcK8s.Hosting.PrometheusExport>().Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
