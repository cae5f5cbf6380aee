using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup
{
    /// <summary>Tests that set process environment variables: they run alone, after the parallel ones.</summary>
    public const string Name = "process-environment";
}

/// <summary>The chart's sidecars refuse calls without the Dapr API token; <c>run --ledger dapr</c> and the
/// <c>ledger</c> commands send <c>DAPR_API_TOKEN</c>, as Dapr's SDKs do.</summary>
[Collection(ProcessEnvironmentGroup.Name)]
public sealed class DaprApiTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-from-the-chart";
    private readonly CliHarness _cli = new();
    private readonly KernelRegistry _kernels = new([new ScriptedKernel()]);
    private LedgerActorHost _host = null!;

    public async Task InitializeAsync() => _host = await LedgerActorHost.StartAsync(apiToken: Token);

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("DAPR_API_TOKEN", null);
        await _host.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task RunAndVerify_SendTheTokenFromTheEnvironment_WithoutItTheSidecarRefuses()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("guarded", "", shards: 2));
        Environment.SetEnvironmentVariable("DAPR_API_TOKEN", Token);
        var (runExit, json, runErr) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir, "--ledger", "dapr", "--dapr-http-endpoint", _host.SidecarUrl);
        Assert.True(runExit == 0, runErr);
        var head = JsonDocument.Parse(json).RootElement.GetProperty("ledger").GetProperty("head").GetString()!;

        var (withToken, _, _) = await VerifyAsync(head);
        Environment.SetEnvironmentVariable("DAPR_API_TOKEN", null);
        var (withoutToken, _, refused) = await VerifyAsync(head);

        Assert.Equal(0, withToken);
        Assert.Equal(3, withoutToken);
        Assert.Contains("no replica of ledger guarded answered", refused, StringComparison.Ordinal);
        Assert.Contains("set DAPR_API_TOKEN", refused, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Out, string Err)> VerifyAsync(string head) =>
        _cli.RunAsync(_kernels, "ledger", "verify", "guarded", "--ledger", "dapr", "--dapr-http-endpoint", _host.SidecarUrl, "--expect-head", head);
}
