namespace HpcK8s.Worker.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndFitKubernetesGracePeriod()
    {
        var options = new HpcK8sWorkerOptions();

        Assert.Empty(options.Validate());
        Assert.True(options.ShutdownTimeout < TimeSpan.FromSeconds(30));
        Assert.Equal(HpcK8sWorkerOptions.LedgerStoreActors, options.LedgerStore);
    }

    [Fact]
    public void Validate_EveryBadSetting_NamesItsKey()
    {
        var options = new HpcK8sWorkerOptions
        {
            ShutdownTimeout = TimeSpan.Zero,
            DaprHttpEndpoint = "grpc://x",
            SidecarHealthTimeout = TimeSpan.FromMinutes(1),
            LedgerStore = "sqlite",
        };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Worker:ShutdownTimeout ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Worker:DaprHttpEndpoint ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Worker:SidecarHealthTimeout ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Worker:LedgerStore ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, null, "http://127.0.0.1:3500/")]
    [InlineData(null, null, "3601", "http://127.0.0.1:3601/")]
    [InlineData(null, "http://daprd:3502", "3601", "http://daprd:3502/")]
    [InlineData("https://sidecar:443", "http://daprd:3502", "3601", "https://sidecar/")]
    public void Resolve_FollowsConfiguredThenEnvironmentThenDefault(string? configured, string? endpoint, string? port, string expected)
    {
        var env = new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = endpoint, ["DAPR_HTTP_PORT"] = port };

        var resolved = DaprHttpEndpointResolver.Resolve(configured, name => env.GetValueOrDefault(name));

        Assert.Equal(expected, resolved.ToString());
    }

    [Fact]
    public void Resolve_BadPort_SaysWhichVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DaprHttpEndpointResolver.Resolve(null, name => name == "DAPR_HTTP_PORT" ? "http" : null));

        Assert.Contains("DAPR_HTTP_PORT", error.Message, StringComparison.Ordinal);
    }
}
