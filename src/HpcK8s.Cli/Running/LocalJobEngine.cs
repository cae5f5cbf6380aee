using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Running;

/// <summary>The embedded engine: workflows and history in the state directory's SQLite file.</summary>
internal sealed class LocalJobEngine(string stateDirectory) : IJobEngine
{
    private readonly LocalWorkflowClient _client = new(stateDirectory);
    private LocalWorkflowEngine? _engine;

    public string Description => $"the embedded engine in {stateDirectory}";

    public TimeSpan ProgressInterval => TimeSpan.FromMilliseconds(100);

    public Exception? Fault => _engine?.Fault;

    public Task<WorkflowInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(_client.GetInstance(instanceId));

    public Task<IReadOnlyList<WorkflowInstanceState>> GetBatchesAsync(string jobInstanceId, ComputeJobInput input, CancellationToken cancellationToken) =>
        Task.FromResult(_client.ListInstances(jobInstanceId));

    public Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        _client.Purge(instanceId, recursive: true, force: true);
        return Task.CompletedTask;
    }

    public Task TerminateAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_client.GetInstance(instanceId) is { IsTerminal: false })
        {
            _client.Terminate(instanceId);
        }

        return Task.CompletedTask;
    }

    public Task StartWorkersAsync(WorkflowRegistry registry, int workers, CancellationToken cancellationToken)
    {
        _engine = LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = stateDirectory, Workers = workers });
        return Task.CompletedTask;
    }

    public Task StartJobAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken)
    {
        _client.StartWorkflow(ComputeJobWorkflow.WorkflowName, instanceId, input);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _client.Dispose();
    }
}
