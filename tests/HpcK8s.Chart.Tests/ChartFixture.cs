using System.Collections.Concurrent;
using HpcK8s.Chart.Tests.Shipping;
using HpcK8s.Testing.Tools;

namespace HpcK8s.Chart.Tests;

/// <summary>Runs helm against charts/hpck8s; renders are cached by their arguments.</summary>
public sealed class ChartFixture
{
    private static readonly TimeSpan HelmTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, Task<HelmResult>> _renders = new();

    /// <summary>Value sets for every scaling mode and store, and those the quick start and skaffold.yaml install with:
    /// (label, --set arguments).</summary>
    public static TheoryData<string, string[]> Modes => new()
    {
        { "defaults", [] },
        { "hpa", ["worker.scaling.mode=hpa", "worker.scaling.hpa.targetMemoryUtilizationPercentage=80"] },
        { "keda", ["worker.scaling.mode=keda", "worker.scaling.minReplicas=2", "worker.scaling.maxReplicas=40"] },
        { "postgresql", ["stateStore.type=postgresql", "stateStore.postgresql.connectionStringSecret.name=pg-conn"] },
        { "existing", ["stateStore.type=existing", "stateStore.existing=shared-actors", "dapr.apiToken.existingSecret=my-token"] },
        { "namespaced", ["operator.watchAllNamespaces=false", "networkPolicy.apiServer.cidrs={10.0.0.1/32}", "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team=monitoring", "telemetry.otlpEndpoint=http://otel:4317"] },
        { "quickstart", [.. ShippedValues.QuickstartInstall.Sets] },
        { "skaffold", ShippedValues.SkaffoldSets(ShippedValues.SkaffoldDigest) },
    };

    /// <summary>helm template (namespace "jobs", release "hpc") with <c>--set</c> arguments.</summary>
    public Task<HelmResult> TemplateAsync(params string[] sets) => TemplateAsync(false, sets);

    public Task<HelmResult> TemplateAsync(bool includeCrds, params string[] sets)
    {
        var args = new List<string> { "template", "hpc", RepoPaths.Chart, "--namespace", "jobs" };
        if (includeCrds)
        {
            args.Add("--include-crds");
        }

        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        return _renders.GetOrAdd(string.Join('\u0001', args), _ => HelmAsync(args));
    }

    /// <summary>helm template that must succeed, parsed.</summary>
    public async Task<IReadOnlyList<Manifest>> RenderAsync(params string[] sets)
    {
        var result = await TemplateAsync(sets);
        Assert.True(result.ExitCode == 0, $"helm template {string.Join(' ', sets)} failed: {result.Stderr}");
        return Manifest.ParseAll(result.Stdout);
    }

    public async Task<HelmResult> HelmAsync(IEnumerable<string> args)
    {
        var helm = await KubeTools.GetHelmAsync();
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(helm, args, RepoPaths.Root, HelmTimeout);
        return new HelmResult(exit, stdout, stderr);
    }
}

public sealed record HelmResult(int ExitCode, string Stdout, string Stderr);

[CollectionDefinition(Name)]
public sealed class ChartTestGroup : ICollectionFixture<ChartFixture>
{
    public const string Name = "chart";
}
