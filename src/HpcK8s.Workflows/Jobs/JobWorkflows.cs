using HpcK8s.Core.Kernels;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>Registers the job workflows and their activities; every engine (local, Dapr) calls this.</summary>
public static class JobWorkflows
{
    /// <summary>Adds <see cref="ComputeJobWorkflow"/>, <see cref="ShardBatchWorkflow"/> and their activities.</summary>
    public static WorkflowRegistry AddJobWorkflows(this WorkflowRegistry registry, KernelRegistry kernels, IJobLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .RegisterWorkflow(ComputeJobWorkflow.WorkflowName, () => new ComputeJobWorkflow(kernels))
            .RegisterWorkflow(ShardBatchWorkflow.WorkflowName, () => new ShardBatchWorkflow(kernels))
            .RegisterActivity(new ExecuteShardActivity(kernels), ExecuteShardActivity.ActivityName)
            .RegisterActivity(new FinishJobActivity(kernels), FinishJobActivity.ActivityName)
            .RegisterActivity(new RecordLedgerActivity(ledger), RecordLedgerActivity.ActivityName);
    }
}
