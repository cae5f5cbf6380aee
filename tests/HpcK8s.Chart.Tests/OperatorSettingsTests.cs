using HpcK8s.Operator;
using Microsoft.Extensions.Configuration;

namespace HpcK8s.Chart.Tests;

/// <summary>The settings the chart gives the operator are ones the operator knows, bind, and accepts: a misspelt
/// environment variable would otherwise be ignored without a word and the operator would run on its defaults.</summary>
[Collection(ChartTestGroup.Name)]
public sealed class OperatorSettingsTests(ChartFixture chart)
{
    private const string Prefix = "HpcK8s__Operator__";

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task OperatorEnvironment_BindsToValidOperatorOptions(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);
        var deployment = manifests.Single(m => m.Kind == "Deployment" && m.Name == "hpc-hpck8s-operator");
        var env = Manifest.Seq(deployment.Seq("spec", "template", "spec", "containers").Single(c => Manifest.Scalar(c, "name") == "operator"), "env")
            .Where(e => Manifest.Scalar(e, "value") is not null)
            .ToDictionary(e => Manifest.Scalar(e, "name")!, e => Manifest.Scalar(e, "value"));
        var settings = env.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        Assert.NotEmpty(settings);

        var options = new OperatorOptions();
        // Unknown keys throw: every variable the chart sets names a real setting.
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Bind(options, o => o.ErrorOnUnknownConfiguration = true);

        Assert.Empty(options.Validate());
        Assert.Equal("hpc-hpck8s-worker", options.Workers.Deployment);
        Assert.Equal("jobs", options.Workers.Namespace);
        Assert.Equal(("hpc-hpck8s-operator", "jobs", true), (options.LeaderElection.LeaseName, options.LeaderElection.LeaseNamespace, options.LeaderElection.Enabled));
        Assert.Equal(TimeSpan.FromMinutes(2), options.Workers.ScaleDownCooldown);
        Assert.Equal(2, options.Workers.ShardsPerReplica);
        Assert.Equal(mode is "hpa" or "keda", !options.Workers.OperatorScales);
        Assert.StartsWith("http://hpck8s-worker-dapr.jobs.svc.cluster.local:50001", env["Dapr__Workflows__GrpcEndpoint"], StringComparison.Ordinal);
    }
}
