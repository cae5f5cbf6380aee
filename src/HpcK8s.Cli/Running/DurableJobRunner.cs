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
/// Runs a job as a <see cref="ComputeJobWorkflow"/> on a durable engine (embedded, or a Dapr sidecar): an interrupted
/// run resumes where it stopped, a finished one reports its recorded result.
/// </summary>
internal sealed class DurableJobRunner(KernelRegistry kernels, Func<JobRunOptions, IJobEngine> engineFactory, Func<ComputeJob, JobRunOptions, IJobLedger> ledgerFactory) : IJobRunner
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

        if (!kernels.TryGet(spec.Kernel.Name ?? spec.Kernel.DisplayName, out _))
        {
            return Report(JobPhase.Failed, 0, 0, 0, reason: "ExternalKernelUnavailable",
                message: $"kernel {spec.Kernel.DisplayName} is an external Dapr app, reached by service invocation: run with --engine dapr inside `dapr run`");
        }

        if (spec.Suspend)
        {
            return Report(JobPhase.Suspended, 0, 0, 0, reason: "Suspended", message: "spec.suspend is true: no shard was started");
        }

        var input = new ComputeJobInput(name, spec, SpecDigest.Compute(spec));
        await using var engine = engineFactory(options);
        var existing = await engine.GetAsync(name, cancellationToken);
        if (existing is not null && options.Fresh)
        {
            await engine.PurgeAsync(name, cancellationToken);
            existing = null;
        }

        if (existing is not null)
        {
            var recorded = WorkflowJson.Deserialize<ComputeJobInput>(existing.Input);
            if (recorded?.SpecDigest != input.SpecDigest)
            {
                throw new ValidationException("spec", $"{engine.Description} holds a run of job '{name}' with a different spec; run with --fresh to discard it, or use another --state-dir");
            }

            input = recorded;
            if (existing.Status == OrchestrationStatus.Completed)
            {
                var done = Sum(await engine.GetBatchesAsync(name, input, cancellationToken), spec.Shards);
                progress(done with { Resumed = done.Succeeded });
                return ToReport(existing, done.Succeeded, Report);
            }

            if (existing.IsTerminal)
            {
                // A failed or terminated run is run again from the start; its ledger keeps the earlier attempt.
                await engine.PurgeAsync(name, cancellationToken);
                existing = null;
            }
        }

        var resumed = existing is null ? 0 : Sum(await engine.GetBatchesAsync(name, input, cancellationToken), spec.Shards).Succeeded;
        var ledger = ledgerFactory(job, options);
        using var ledgerLifetime = ledger as IDisposable;
        await engine.StartWorkersAsync(new WorkflowRegistry().AddJobWorkflows(counting.Registry, ledger), workers, cancellationToken);
        if (existing is null)
        {
            input = input with { LedgerId = await FreeLedgerIdAsync(ledger, name, cancellationToken) };
            await engine.StartJobAsync(name, input, cancellationToken);
        }

        var nextProgress = DateTime.MinValue;
        while (true)
        {
            await Task.Delay(PollInterval, cancellationToken);
            if (engine.Fault is { } fault)
            {
                throw new InvalidOperationException($"{engine.Description} stopped: {fault.Message}", fault);
            }

            var state = await engine.GetAsync(name, cancellationToken)
                ?? throw new InvalidOperationException($"job '{name}' disappeared from {engine.Description}");
            if (state.IsTerminal || DateTime.UtcNow >= nextProgress)
            {
                nextProgress = DateTime.UtcNow + engine.ProgressInterval;
                progress(Sum(await engine.GetBatchesAsync(name, input, cancellationToken), spec.Shards) with { Resumed = resumed });
            }

            if (state.IsTerminal)
            {
                if (state.Status != OrchestrationStatus.Completed || WorkflowJson.Deserialize<ComputeJobOutput>(state.Output)?.Phase != JobPhase.Succeeded)
                {
                    // The job ended early (deadline, failed shard, terminate): stop its batches too.
                    foreach (var batch in (await engine.GetBatchesAsync(name, input, cancellationToken)).Where(b => !b.IsTerminal))
                    {
                        await engine.TerminateAsync(batch.InstanceId, cancellationToken);
                    }
                }

                return ToReport(state, resumed, Report);
            }
        }
    }

    /// <summary>Adds up a job's progress from the custom status of its batch workflows.</summary>
    internal static ShardProgress Sum(IEnumerable<WorkflowInstanceState> batches, int total)
    {
        int succeeded = 0, running = 0, failed = 0;
        foreach (var batch in batches)
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
