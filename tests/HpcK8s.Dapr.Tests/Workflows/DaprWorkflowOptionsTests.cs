using HpcK8s.Dapr.Workflows;

namespace HpcK8s.Dapr.Tests.Workflows;

public sealed class DaprWorkflowOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => Assert.Empty(new DaprWorkflowOptions().Validate());

    [Fact]
    public void Validate_BadValues_NameTheConfigurationKeys()
    {
        var errors = new DaprWorkflowOptions
        {
            GrpcEndpoint = "localhost:50001",
            MaxConcurrentActivities = 0,
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Dapr:Workflows:GrpcEndpoint ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dapr:Workflows:MaxConcurrentActivities ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dapr:Workflows:KeepAlivePingDelay ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dapr:Workflows:MaxReconnectDelay ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingTheKey()
    {
        await using var worker = new DaprWorkflowWorker(new(), new DaprWorkflowOptions { MaxConcurrentWorkflows = 0 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.StartAsync(CancellationToken.None));

        Assert.Contains("Dapr:Workflows:MaxConcurrentWorkflows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Configured_WinsOverEnvironment() =>
        Assert.Equal(new Uri("http://sidecar:7000"), DaprSidecarEndpoint.Resolve("http://sidecar:7000", Env(("DAPR_GRPC_ENDPOINT", "http://other:1"))));

    [Fact]
    public void Resolve_GrpcEndpointVariable_IsUsedFirst() =>
        Assert.Equal(new Uri("https://dapr.example:443"), DaprSidecarEndpoint.Resolve(null, Env(("DAPR_GRPC_ENDPOINT", "https://dapr.example:443"), ("DAPR_GRPC_PORT", "1234"))));

    [Fact]
    public void Resolve_PortVariable_GivesLoopback() =>
        Assert.Equal(new Uri("http://127.0.0.1:1234"), DaprSidecarEndpoint.Resolve(null, Env(("DAPR_GRPC_PORT", "1234"))));

    [Fact]
    public void Resolve_Nothing_Gives50001() =>
        Assert.Equal(new Uri("http://127.0.0.1:50001"), DaprSidecarEndpoint.Resolve(null, Env()));

    [Fact]
    public void Resolve_BadPort_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DaprSidecarEndpoint.Resolve(null, Env(("DAPR_GRPC_PORT", "eighty"))));
        Assert.Contains("DAPR_GRPC_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveApiToken_FromEnvironment_OrNone()
    {
        Assert.Equal("secret", DaprSidecarEndpoint.ResolveApiToken(null, Env(("DAPR_API_TOKEN", "secret"))));
        Assert.Null(DaprSidecarEndpoint.ResolveApiToken(null, Env()));
    }

    [Theory]
    [InlineData("job-42_a", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("parent:0001", false)]
    [InlineData("ü", false)]
    public void InstanceIds_FollowDaprRules(string id, bool valid) => Assert.Equal(valid, WorkflowInstanceIds.IsValid(id));

    [Fact]
    public void InstanceIds_65Characters_AreRejected()
    {
        Assert.True(WorkflowInstanceIds.IsValid(new string('a', 64)));
        Assert.Throws<ArgumentException>(() => WorkflowInstanceIds.Validate(new string('a', 65)));
    }

    [Fact]
    public void ReconnectDelay_GrowsFromOneSecondAndCapsAtThirty()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(30);

        Assert.Equal(min, DaprWorkflowWorker.ReconnectDelay(0, min, max, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(1.2), DaprWorkflowWorker.ReconnectDelay(0, min, max, jitter: 1));
        Assert.Equal(TimeSpan.FromSeconds(8), DaprWorkflowWorker.ReconnectDelay(3, min, max, jitter: 0));
        Assert.Equal(max, DaprWorkflowWorker.ReconnectDelay(10, min, max, jitter: 1));
        Assert.Equal(max, DaprWorkflowWorker.ReconnectDelay(1000, min, max, jitter: 0.5));
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
