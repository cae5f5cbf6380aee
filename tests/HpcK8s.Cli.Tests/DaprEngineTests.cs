using System.Text.Json;
using HpcK8s.Testing.Interop;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DaprSidecarGroup : ICollectionFixture<InteropSidecarFixture>
{
    public const string Name = "dapr-sidecar";
}

/// <summary><c>hpck8s run --engine dapr</c> against a sidecar that is not ours (the Durable Task engine of
/// @microsoft/durabletask-js behind daprd's gRPC protocol), compared with the embedded engine.</summary>
[Collection(DaprSidecarGroup.Name)]
public sealed class DaprEngineTests(InteropSidecarFixture sidecar) : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<JsonElement> RunAsync(string manifest, string stateDir, params string[] extra)
    {
        var (exit, stdout, stderr) = await _cli.RunAsync(Core.Kernels.KernelRegistry.BuiltIn, ["run", manifest, "--output", "json", "--state-dir", stateDir, .. extra]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [InteropTheory]
    [InlineData("pi-digits.yaml")]
    [InlineData("pi-montecarlo.yaml")]
    [InlineData("pi-bbp.yaml")]
    public async Task Example_OnDaprSidecar_GivesTheEmbeddedEnginesResult(string example)
    {
        var manifest = Path.Combine(RepoPaths.Examples, example);

        var local = await RunAsync(manifest, Path.Combine(_cli.Directory, "local"));
        var dapr = await RunAsync(manifest, Path.Combine(_cli.Directory, "dapr"), "--engine", "dapr", "--dapr-grpc-endpoint", sidecar.Endpoint);

        Assert.Equal("Succeeded", dapr.GetProperty("phase").GetString());
        Assert.Equal(local.GetProperty("result").GetProperty("digest").GetString(), dapr.GetProperty("result").GetProperty("digest").GetString());
        Assert.Equal(local.GetProperty("shards").GetProperty("total").GetInt32(), dapr.GetProperty("shards").GetProperty("succeeded").GetInt32());
        Assert.StartsWith("sha256:", dapr.GetProperty("ledger").GetProperty("head").GetString(), StringComparison.Ordinal);

        // Run again: the sidecar has the finished instance, so the recorded result comes back without computing.
        var again = await RunAsync(manifest, Path.Combine(_cli.Directory, "dapr"), "--engine", "dapr", "--dapr-grpc-endpoint", sidecar.Endpoint);
        Assert.Equal(dapr.GetProperty("result").GetProperty("digest").GetString(), again.GetProperty("result").GetProperty("digest").GetString());
        Assert.Equal(0, again.GetProperty("shards").GetProperty("executed").GetInt32());
        await _cli.RunAsync(Core.Kernels.KernelRegistry.BuiltIn, "run", manifest, "--engine", "dapr", "--dapr-grpc-endpoint", sidecar.Endpoint, "--fresh", "--state-dir", Path.Combine(_cli.Directory, "dapr"));
    }

    [Fact]
    public async Task NoSidecar_FailsWithOneLineSayingWhereItLooked()
    {
        var manifest = Path.Combine(RepoPaths.Examples, "pi-bbp.yaml");
        var (exit, _, stderr) = await _cli.RunAsync(Core.Kernels.KernelRegistry.BuiltIn, "run", manifest, "--engine", "dapr", "--dapr-grpc-endpoint", "http://127.0.0.1:9", "--state-dir", _cli.StateDir);

        Assert.Equal(1, exit);
        Assert.Contains("http://127.0.0.1:9", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
