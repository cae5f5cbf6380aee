using HpcK8s.Core.Kernels;
using HpcK8s.Worker.Telemetry;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Worker;

/// <summary>Builds the registry the worker runs: the job workflows and activities, with <c>ExecuteShard</c> wrapped
/// in <see cref="InstrumentedShardActivity"/>.</summary>
/// <remarks>The job registrations come from <see cref="JobWorkflows.AddJobWorkflows"/> unchanged and are re-registered
/// by name, so workflows or activities added there later are picked up here without edits.</remarks>
internal static class WorkerWorkflowRegistry
{
    public static WorkflowRegistry Create(KernelRegistry kernels, IJobLedger ledger, ShardMetrics metrics, ILogger logger)
    {
        var jobs = new WorkflowRegistry().AddJobWorkflows(kernels, ledger);
        var registry = new WorkflowRegistry();
        foreach (var name in jobs.WorkflowNames)
        {
            registry.RegisterWorkflow(name, () => jobs.TryCreateWorkflow(name, out var workflow)
                ? workflow
                : throw new InvalidOperationException($"The job registry lost workflow '{name}'."));
        }

        foreach (var name in jobs.ActivityNames)
        {
            IWorkflowActivity Create() => jobs.TryCreateActivity(name, out var activity)
                ? activity
                : throw new InvalidOperationException($"The job registry lost activity '{name}'.");

            if (string.Equals(name, ExecuteShardActivity.ActivityName, StringComparison.OrdinalIgnoreCase))
            {
                registry.RegisterActivity(name, () => new InstrumentedShardActivity(Create(), metrics, logger));
            }
            else
            {
                registry.RegisterActivity(name, Create);
            }
        }

        return registry;
    }
}
