using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.Jobs;

namespace HpcK8s.Operator.Reconciliation;

/// <summary>The operator's view of the workflow engine: start, read, steer and remove one job's workflow.</summary>
/// <remarks>Every method is safe to repeat: the reconciler may call it again after a crash or a conflict.</remarks>
public interface IJobWorkflows
{
    /// <summary>Reads the job workflow's state; null when no such instance exists.</summary>
    /// <param name="instanceId">The job's instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or null.</returns>
    Task<DaprWorkflowState?> GetAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Shard progress summed over the job's batch workflows (finer than the job's own custom status, which counts
    /// a batch only once it finished).</summary>
    /// <param name="instanceId">The job's instance id.</param>
    /// <param name="input">The job's input (for the number of batches).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The progress, or null when no batch has started.</returns>
    Task<JobProgress?> GetBatchProgressAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken);

    /// <summary>Starts the job's workflow under <paramref name="instanceId"/>; nothing when it already exists.</summary>
    /// <param name="instanceId">The job's instance id.</param>
    /// <param name="input">The job's input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task StartAsync(string instanceId, ComputeJobInput input, CancellationToken cancellationToken);

    /// <summary>Suspends the workflow and its batches, those not suspended yet (no new shard starts).</summary>
    /// <param name="job">The job workflow's state as just read.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SuspendAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken);

    /// <summary>Resumes the workflow and its batches, those suspended.</summary>
    /// <param name="job">The job workflow's state as just read.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ResumeAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken);

    /// <summary>Tells the running job and its open batches a new parallelism (<see cref="ComputeJobWorkflow.ParallelismEvent"/>):
    /// the job its whole bound, each batch its share.</summary>
    /// <param name="instanceId">The job's instance id.</param>
    /// <param name="parallelism">The job's effective parallelism.</param>
    /// <param name="batchSize">The job's shards per batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SetParallelismAsync(string instanceId, int parallelism, int batchSize, CancellationToken cancellationToken);

    /// <summary>Terminates the workflow and those of its batches that still run.</summary>
    /// <param name="job">The job workflow's state as just read.</param>
    /// <param name="reason">Recorded as the termination output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True once the job and every batch are terminal (termination is asynchronous: call again until then).</returns>
    Task<bool> TerminateAsync(DaprWorkflowState job, string reason, CancellationToken cancellationToken);

    /// <summary>Removes the workflow's and its batches' state; true when something was removed.</summary>
    /// <param name="instanceId">The job's instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether an instance was purged.</returns>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Forgets cached progress of a job that is gone.</summary>
    /// <param name="instanceId">The job's instance id.</param>
    void Forget(string instanceId);
}
