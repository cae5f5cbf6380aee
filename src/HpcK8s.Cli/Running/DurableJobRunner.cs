using System.Text.Json;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Core.Validation;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Cli.Running;

/// <summary>
/// Runs a job as a <see cref="ComputeJobWorkflow"/> on the local durable engine, with its history in the state
/// directory: an interrupted run resumes where it stopped, a finished one reports its recorded result.
/// </summary>
internal sealed class DurableJobRunner(KernelRegistry kernels, Func<string, IJobLedger> ledgerFactory) : IJobRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<RunReport> RunAsync(ComputeJob job, JobRunOptions options, Action<ShardProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var spec = job.Spec;
        var name = job.Metadata.Name;
        var counting = new CountingKernels(kernels);
        var started = DateTime.UtcNow;
        var workers = Math.Max(1, Math.Min(options.Workers, spec.EffectiveParallelism));
        RunReport Report(string phase, int succeeded, int failed, int resumed, RunResult? result = null, string? reason = null, string? message = null, RunLedger? ledger = null) => new()
        {
            Name = name,
            Kernel = spec.Kernel.DisplayName,
            Phase = phase,
            Result = result,
            Shards = new RunShards(spec.Shards, succeeded, failed, resumed, counting.Executions),
            ElapsedSeconds = Math.Round((DateTime.UtcNow - started).TotalSeconds, 3),
            Workers = workers,
            StateDir = options.StateDir,
            Ledger = ledger,
            Reason = reason,
            Message = message,
        };

        if (spec.Kernel.Name is null || !kernels.TryGet(spec.Kernel.Name, out _))
        {
            return Report(JobPhase.Failed, 0, 0, 0, reason: "ExternalKernelUnavailable",
                message: $"kernel {spec.Kernel.DisplayName} is an external Dapr app; run it with --engine dapr inside `dapr run`");
        }

        if (spec.Suspend)
        {
            return Report(JobPhase.Suspended, 0, 0, 0, reason: "Suspended", message: "spec.suspend is true: no shard was started");
        }

        var input = new ComputeJobInput(name, spec, SpecDigest.Compute(spec));
        using var client = new LocalWorkflowClient(options.StateDir);
        var existing = client.GetInstance(name);
        if (existing is not null && options.Fresh)
        {
            client.Purge(name, recursive: true, force: true);
            existing = null;
        }

        if (existing is not null)
        {
            var recorded = WorkflowJson.Deserialize<ComputeJobInput>(existing.Input);
            if (recorded?.SpecDigest != input.SpecDigest)
            {
                throw new ValidationException("spec", $"the state directory {options.StateDir} holds a run of job '{name}' with a different spec; run with --fresh to discard it, or use another --state-dir");
            }

            if (existing.Status == OrchestrationStatus.Completed)
            {
                var done = Progress(client, name, spec.Shards);
                progress(done with { Resumed = done.Succeeded });
                return ToReport(existing, done.Succeeded, Report);
            }

            if (existing.IsTerminal)
            {
                // A failed or terminated run is run again from the start; its ledger keeps the earlier attempt.
                client.Purge(name, recursive: true, force: true);
                existing = null;
            }
        }

        var resumed = existing is null ? 0 : Progress(client, name, spec.Shards).Succeeded;
        var ledger = ledgerFactory(options.StateDir);
        using var ledgerLifetime = ledger as IDisposable;
        var registry = new WorkflowRegistry().AddJobWorkflows(counting.Registry, ledger);
        await using var engine = LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = options.StateDir, Workers = workers });
        if (existing is null)
        {
            client.StartWorkflow(ComputeJobWorkflow.WorkflowName, name, input with { LedgerId = await FreeLedgerIdAsync(ledger, name, cancellationToken) });
        }

        while (true)
        {
            await Task.Delay(PollInterval, cancellationToken);
            if (engine.Fault is { } fault)
            {
                throw new InvalidOperationException($"the local workflow engine stopped: {fault.Message}", fault);
            }

            var state = client.GetInstance(name)!;
            var now = Progress(client, name, spec.Shards) with { Resumed = resumed };
            progress(now);
            if (state.IsTerminal)
            {
                if (state.Status != OrchestrationStatus.Completed)
                {
                    // The job ended early (deadline, failed shard, terminate): stop its batches too.
                    foreach (var child in client.ListInstances(name).Where(c => !c.IsTerminal))
                    {
                        client.Terminate(child.InstanceId);
                    }
                }

                var report = ToReport(state, resumed, Report);
                return report;
            }
        }
    }

    // The job's first run records into the ledger named like the job; later runs into name-2, name-3, …
    private static async Task<string> FreeLedgerIdAsync(IJobLedger ledger, string name, CancellationToken cancellationToken)
    {
        var candidate = name;
        for (var run = 2; await ledger.ExistsAsync(candidate, cancellationToken); run++)
        {
            candidate = $"{name}-{run}";
        }

        return candidate;
    }

    /// <summary>Adds up the job's progress from the custom status of its batch workflows.</summary>
    internal static ShardProgress Progress(LocalWorkflowClient client, string jobInstanceId, int total)
    {
        int succeeded = 0, running = 0, failed = 0;
        foreach (var batch in client.ListInstances(jobInstanceId))
        {
            if (WorkflowJson.Deserialize<JobProgress>(batch.CustomStatus) is { } p)
            {
                succeeded += p.Succeeded;
                failed += p.Failed;
                running += batch.IsTerminal ? 0 : p.Running;
            }
        }

        return new ShardProgress(total, succeeded, running, failed, 0);
    }

    private static RunReport ToReport(WorkflowInstanceState state, int resumed, Func<string, int, int, int, RunResult?, string?, string?, RunLedger?, RunReport> report)
    {
        if (state.Status == OrchestrationStatus.Completed && WorkflowJson.Deserialize<ComputeJobOutput>(state.Output) is { } output)
        {
            var result = output.Value is null ? null : new RunResult(output.Value, output.Digest!, output.Details ?? new Dictionary<string, string>());
            var ledger = output.Ledger is { } head ? new RunLedger(head.Height, head.Head) : null;
            return report(output.Phase, output.Succeeded, output.Failed, resumed, result, output.Reason, output.Message, ledger);
        }

        var reason = state.Status == OrchestrationStatus.Terminated ? "Terminated" : "WorkflowFailed";
        var message = state.Failure?.ToString() ?? $"the job's workflow ended {state.Status}";
        return report(JobPhase.Failed, 0, 0, resumed, null, reason, message, null);
    }
}
