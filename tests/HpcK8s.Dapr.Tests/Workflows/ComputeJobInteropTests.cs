using HpcK8s.Testing.Interop;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>The real job workflow on the durabletask-js engine through our worker, against the local engine.</summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class ComputeJobInteropTests(InteropSidecarFixture sidecar, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpck8s-interop-job-").FullName;
    private readonly ILoggerFactory _loggerFactory = TestOutputLoggerProvider.CreateFactory(output);

    public void Dispose()
    {
        _loggerFactory.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [InteropFact]
    public async Task PiDigitsJob_OnTheNodeEngine_GivesTheLocalEnginesResult()
    {
        var spec = new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "pi-digits" },
            Parameters = new() { ["digits"] = "2000" },
            Shards = 12,
            Parallelism = 6,
            Retry = new RetrySpec { MaxAttempts = 2, Backoff = "10ms" },
        };
        var input = new ComputeJobInput("pi", spec, SpecDigest.Compute(spec), BatchSize: 4); // three child batch workflows

        var viaDapr = await RunOnSidecarAsync(input);
        var local = await RunLocallyAsync(input);

        Assert.Equal(JobPhase.Succeeded, viaDapr.Phase);
        Assert.Equal(local.Phase, viaDapr.Phase);
        Assert.Equal(local.Value, viaDapr.Value);
        Assert.Equal(local.Digest, viaDapr.Digest);
        Assert.Equal(12, viaDapr.Succeeded);
        Assert.StartsWith("3.14159265358979", viaDapr.Value, StringComparison.Ordinal);
    }

    private static WorkflowRegistry Registry() => new WorkflowRegistry().AddJobWorkflows(KernelRegistry.BuiltIn, NoLedger.Instance);

    private async Task<ComputeJobOutput> RunOnSidecarAsync(ComputeJobInput input)
    {
        await using var worker = new DaprWorkflowWorker(Registry(), new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint }, _loggerFactory);
        await worker.StartAsync(CancellationToken.None);
        using var client = new DaprWorkflowClient(new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint });
        var id = await client.ScheduleNewWorkflowAsync(ComputeJobWorkflow.WorkflowName, "pi-" + Guid.NewGuid().ToString("N")[..8], input);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await client.WaitForWorkflowCompletionAsync(id, timeout.Token);
        Assert.NotNull(state);
        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        return state.ReadOutputAs<ComputeJobOutput>()!;
    }

    private async Task<ComputeJobOutput> RunLocallyAsync(ComputeJobInput input)
    {
        await using var engine = LocalWorkflowEngine.Start(Registry(), new LocalEngineOptions { StateDirectory = _dir, Workers = 2, PollInterval = TimeSpan.FromMilliseconds(20) });
        using var client = new LocalWorkflowClient(_dir);
        client.StartWorkflow(ComputeJobWorkflow.WorkflowName, "pi", input);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await client.WaitForCompletionAsync("pi", TimeSpan.FromMilliseconds(10), timeout.Token);
        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        return WorkflowJson.Deserialize<ComputeJobOutput>(state.Output)!;
    }
}
