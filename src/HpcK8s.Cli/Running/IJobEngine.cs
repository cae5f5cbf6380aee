using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Running;

/// <summary>Where a job's workflows run: the embedded engine, or a Dapr sidecar. The runner's logic is the same.</summary>
internal interface IJobEngine : IAsyncDisposable
{
    /// <summary>Where it runs, for messages (<c>the embedded engine in .hpck8s</c>, <c>the Dapr sidecar at …</c>).</summary>
    string Description { get; }

    /// <summary>How often progress (the batches' states) is worth reading: reading it costs one call per batch on Dapr.</summary>
    TimeSpan ProgressInterval { get; }

    /// <summary>Set when the engine stopped on an error; the run then fails with it.</summary>
    Exception? Fault { get; }

    /// <summary>The instance's state, or null.</summary>
    Task<WorkflowInstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The job's batch workflows that exist so far.</summary>
    Task<IReadOnlyList<WorkflowInstanceState>> GetBatchesAsync(string jobInstanceId, ComputeJobInput input, CancellationToken cancellationToken);

    /// <summary>Deletes an instance and its batches, finished or not (no run may be using them).</summary>
    Task PurgeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Terminates an instance and its batches.</summary>
    Task TerminateAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Starts this process's workers for <paramref name="registry"/>; they stop when the engine is disposed.</summary>
    Task StartWorkersAsync(WorkflowRegistry registry, int workers, CancellationToken cancellationToken);

    /// <summary>Starts the job's workflow (after <see cref="StartWorkersAsync"/>).</summary>
    Task StartJobAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken);
}
