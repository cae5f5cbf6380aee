using Grpc.Core;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Running;

/// <summary>
/// A Dapr sidecar's workflow engine (daprd, or anything speaking its Durable Task protocol): this process is both
/// the worker that runs the job's workflows and shards, and the client that starts and watches it.
/// </summary>
internal sealed class DaprJobEngine : IJobEngine
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly DaprWorkflowOptions _options;
    private readonly DaprWorkflowClient _client;
    private DaprWorkflowWorker? _worker;

    public DaprJobEngine(string? grpcEndpoint)
    {
        _options = new DaprWorkflowOptions { GrpcEndpoint = grpcEndpoint };
        Endpoint = DaprSidecarEndpoint.Resolve(grpcEndpoint);
        _client = new DaprWorkflowClient(_options);
    }

    public Uri Endpoint { get; }

    public string Description => $"the Dapr sidecar at {Endpoint}";

    public TimeSpan ProgressInterval => TimeSpan.FromSeconds(1);

    public Exception? Fault => null;

    public async Task<WorkflowInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        ToState(await CallAsync("read workflow state", () => _client.GetWorkflowStateAsync(instanceId, cancellationToken)), null);

    public async Task<IReadOnlyList<WorkflowInstanceState>> GetBatchesAsync(string jobInstanceId, ComputeJobInput input, CancellationToken cancellationToken)
    {
        // The sidecar cannot list children, but batch ids are derived from the job's: ask for each.
        var batches = (input.Spec.Shards + input.BatchSize - 1) / input.BatchSize;
        var states = new List<WorkflowInstanceState>(batches);
        for (var i = 0; i < batches; i++)
        {
            var batch = ComputeJobWorkflow.BatchInstanceId(jobInstanceId, i);
            if (ToState(await CallAsync("read workflow state", () => _client.GetWorkflowStateAsync(batch, cancellationToken)), jobInstanceId) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }

    public Task PurgeAsync(string instanceId, CancellationToken cancellationToken) =>
        CallAsync("purge a workflow", () => _client.PurgeWorkflowAsync(instanceId, recursive: true, force: true, cancellationToken));

    public async Task TerminateAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (await _client.GetWorkflowStateAsync(instanceId, cancellationToken) is { IsTerminal: false })
        {
            await _client.TerminateWorkflowAsync(instanceId, "job ended", recursive: true, cancellationToken);
        }
    }

    public async Task StartWorkersAsync(WorkflowRegistry registry, int workers, CancellationToken cancellationToken)
    {
        _options.MaxConcurrentActivities = workers;
        _worker = new DaprWorkflowWorker(registry, _options);
        await _worker.StartAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await _worker.WaitForStreamConnectedAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"no Dapr sidecar answered at {Endpoint} within {ConnectTimeout.TotalSeconds:0} s; run inside `dapr run --app-id hpck8s -- hpck8s run --engine dapr …`, or give --dapr-grpc-endpoint");
        }
    }

    public Task StartJobAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken) =>
        CallAsync("start the job's workflow", () => _client.ScheduleNewWorkflowAsync(ComputeJobWorkflow.WorkflowName, instanceId, input, cancellationToken: cancellationToken));

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _worker.StopAsync(drain.Token);
            await _worker.DisposeAsync();
        }

        _client.Dispose();
    }

    // A sidecar that is down or refuses a call is a one-line error naming where we looked, never a gRPC stack trace.
    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            throw new InvalidOperationException(
                $"no Dapr sidecar answered at {Endpoint} ({e.Status.Detail}); run inside `dapr run --app-id hpck8s -- hpck8s run --engine dapr …`, or give --dapr-grpc-endpoint", e);
        }
        catch (RpcException e)
        {
            throw new InvalidOperationException($"the Dapr sidecar at {Endpoint} could not {what}: {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    private static WorkflowInstanceState? ToState(DaprWorkflowState? state, string? parent) => state is null
        ? null
        : new WorkflowInstanceState(state.InstanceId, state.Name, state.Status, state.Input, state.Output, state.Failure, state.CustomStatus, parent, state.CreatedAt, state.LastUpdatedAt);
}
