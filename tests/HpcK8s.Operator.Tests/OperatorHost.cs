using System.Net;
using System.Text.Json;
using HpcK8s.Operator.Hosting;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Testing;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HpcK8s.Operator.Tests;

/// <summary>The operator as Program.cs builds it (AddHpcK8sOperator + MapHpcK8sOperator) on Kestrel at 127.0.0.1:0, talking
/// to a world's API server and sidecar; probes and metrics over real HTTP.</summary>
internal sealed class OperatorHost : IAsyncDisposable
{
    public const string LeaseNamespace = "hpck8s";
    public const string WorkerDeployment = "hpck8s-worker";

    private OperatorHost(WebApplication app)
    {
        App = app;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public OperatorService Service => App.Services.GetRequiredService<OperatorService>();

    /// <summary>Settings as the chart sets them, with test-sized intervals.</summary>
    public static Dictionary<string, string?> Settings(OperatorWorld world, string name) => new()
    {
        ["Dapr:Workflows:GrpcEndpoint"] = world.Sidecar,
        ["HpcK8s:Operator:WatchNamespace"] = OperatorWorld.Namespace,
        ["HpcK8s:Operator:PollInterval"] = "00:00:00.2",
        ["HpcK8s:Operator:LeaderElection:Enabled"] = "true",
        ["HpcK8s:Operator:LeaderElection:LeaseName"] = "hpck8s-operator",
        ["HpcK8s:Operator:LeaderElection:LeaseNamespace"] = LeaseNamespace,
        ["HpcK8s:Operator:LeaderElection:Identity"] = name,
        ["HpcK8s:Operator:LeaderElection:LeaseDuration"] = "00:00:02",
        ["HpcK8s:Operator:LeaderElection:RenewDeadline"] = "00:00:01.5",
        ["HpcK8s:Operator:LeaderElection:RetryPeriod"] = "00:00:00.25",
        ["HpcK8s:Operator:Workers:Deployment"] = WorkerDeployment,
        ["HpcK8s:Operator:Workers:Namespace"] = LeaseNamespace,
        ["HpcK8s:Operator:Workers:ScalingMode"] = "operator",
        ["HpcK8s:Operator:Workers:MinReplicas"] = "1",
        ["HpcK8s:Operator:Workers:MaxReplicas"] = "5",
        ["HpcK8s:Operator:Workers:Interval"] = "00:00:01",
        ["HpcK8s:Operator:Workers:ScaleDownCooldown"] = "00:00:00",
    };

    public static async Task<OperatorHost> StartAsync(OperatorWorld world, ITestOutputHelper output, string name = "operator-a", Action<Dictionary<string, string?>>? adjust = null)
    {
        var settings = Settings(world, name);
        adjust?.Invoke(settings);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        builder.Services.AddSingleton<IKubernetes>(world.Api.CreateClient());
        builder.Services.AddSingleton(world.Kernels);
        builder.AddHpcK8sOperator();
        var app = builder.Build();
        app.MapHpcK8sOperator();
        await app.StartAsync();
        return new OperatorHost(app);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    public Task<string> GetMetricsAsync() => Http.GetStringAsync(HpcK8sOperatorExtensions.MetricsPath);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
