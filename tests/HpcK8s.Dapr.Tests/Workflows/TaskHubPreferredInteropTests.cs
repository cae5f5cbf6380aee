using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Testing.Interop;
using HpcK8s.Workflows.History;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>
/// With a sidecar that implements TaskHubSidecarService (tests/interop-sidecar), every operation stays on TaskHub and no
/// Beta1 call is made: the fallback is only a fallback.
/// </summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class TaskHubPreferredInteropTests(InteropSidecarFixture sidecar, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ILoggerFactory _loggerFactory = TestOutputLoggerProvider.CreateFactory(output);

    public void Dispose() => _loggerFactory.Dispose();

    [InteropFact]
    public async Task EveryOperation_UsesTaskHub_AndNoBeta1CallIsMade()
    {
        await using var worker = new DaprWorkflowWorker(
            InteropWorkflows.CreateRegistry(), new DaprWorkflowOptions { GrpcEndpoint = sidecar.Endpoint }, _loggerFactory);
        await worker.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(Timeout);
        await worker.WaitForStreamConnectedAsync(timeout.Token);
        using var channel = GrpcChannel.ForAddress(sidecar.Endpoint);
        var recorder = new MethodRecorder();
        using var client = new DaprWorkflowClient(channel.Intercept(recorder), _loggerFactory.CreateLogger<DaprWorkflowClient>());
        var unique = Guid.NewGuid().ToString("N")[..12];

        var id = await client.ScheduleNewWorkflowAsync("WaitEvent", "pref-" + unique);
        await client.WaitForWorkflowStartAsync(id, timeout.Token);
        await client.SuspendWorkflowAsync(id, "check");
        await client.RaiseEventAsync(id, "Approval", "yes");
        await client.ResumeWorkflowAsync(id);
        var done = await client.WaitForWorkflowCompletionAsync(id, timeout.Token);
        Assert.Equal(OrchestrationStatus.Completed, done?.Status);
        Assert.True(await client.PurgeWorkflowAsync(id));
        Assert.Null(await client.GetWorkflowStateAsync(id));

        var terminated = await client.ScheduleNewWorkflowAsync("WaitEvent", "pref-term-" + unique);
        await client.WaitForWorkflowStartAsync(terminated, timeout.Token);
        await client.TerminateWorkflowAsync(terminated, "stopped"); // an output: would throw on the Beta1 path
        Assert.Equal(OrchestrationStatus.Terminated, (await client.WaitForWorkflowCompletionAsync(terminated, timeout.Token))?.Status);

        output.WriteLine(string.Join(Environment.NewLine, recorder.Methods));
        Assert.All(recorder.Methods, m => Assert.StartsWith("/TaskHubSidecarService/", m, StringComparison.Ordinal));
        string[] expected =
        [
            "StartInstance", "GetInstance", "WaitForInstanceStart", "WaitForInstanceCompletion", "RaiseEvent",
            "SuspendInstance", "ResumeInstance", "TerminateInstance", "PurgeInstances",
        ];
        Assert.Equal(expected.Order(), recorder.Methods.Select(m => m["/TaskHubSidecarService/".Length..]).Distinct().Order());
    }

    private sealed class MethodRecorder : Interceptor
    {
        public ConcurrentQueue<string> Methods { get; } = new();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            Methods.Enqueue(context.Method.FullName);
            return continuation(request, context);
        }
    }
}
