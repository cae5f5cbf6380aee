using System.Diagnostics;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Manifests;
using HpcK8s.Core.Model;

namespace HpcK8s.Cli.Running;

/// <summary>
/// Runs a job's shards in parallel on this machine's cores, retrying failed shards per <c>spec.retry</c>
/// and merging partials through <see cref="ShardReducer"/> as they arrive. Keeps nothing between runs.
/// </summary>
internal sealed class InProcessJobRunner(KernelRegistry kernels) : IJobRunner
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    public async Task<RunReport> RunAsync(ComputeJob job, JobRunOptions options, Action<ShardProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var spec = job.Spec;
        var clock = Stopwatch.StartNew();
        var workers = Math.Max(1, Math.Min(options.Workers, spec.EffectiveParallelism));
        RunReport Report(string phase, int succeeded, int failed, RunResult? result = null, string? reason = null, string? message = null) => new()
        {
            Name = job.Metadata.Name,
            Kernel = spec.Kernel.DisplayName,
            Phase = phase,
            Result = result,
            Shards = new RunShards(spec.Shards, succeeded, failed, 0),
            ElapsedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            Workers = workers,
            StateDir = options.StateDir,
            Reason = reason,
            Message = message,
        };

        if (spec.Kernel.Name is null || !kernels.TryGet(spec.Kernel.Name, out var kernel))
        {
            return Report(JobPhase.Failed, 0, 0, reason: "ExternalKernelUnavailable",
                message: $"kernel {spec.Kernel.DisplayName} is an external Dapr app; run it with --engine dapr inside `dapr run`");
        }

        if (spec.Suspend)
        {
            return Report(JobPhase.Suspended, 0, 0, reason: "Suspended", message: "spec.suspend is true: no shard was started");
        }

        Directory.CreateDirectory(options.StateDir);
        var kernelJob = new KernelJob(spec.Parameters, spec.Shards);
        var reducer = new ShardReducer(spec.Shards, (left, right) => kernel.Merge(kernelJob, left, right));
        var backoff = Durations.TryParse(spec.Retry.Backoff, out var parsed) ? parsed : throw new ArgumentException($"spec.retry.backoff: invalid duration '{spec.Retry.Backoff}'; validate the job first", nameof(job));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.ActiveDeadlineSeconds is { } seconds)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        int succeeded = 0, running = 0;
        ShardFailure? failure = null;
        void Publish() => progress(new ShardProgress(spec.Shards, Volatile.Read(ref succeeded), Volatile.Read(ref running), failure is null ? 0 : 1, 0));
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, spec.Shards),
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = deadline.Token },
                async (index, token) =>
                {
                    Interlocked.Increment(ref running);
                    Publish();
                    try
                    {
                        var partial = await ExecuteWithRetryAsync(kernel, kernelJob, index, spec.Retry.MaxAttempts, backoff, token);
                        lock (reducer)
                        {
                            reducer.Add(index, partial);
                        }

                        Interlocked.Increment(ref succeeded);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref running);
                        Publish();
                    }
                });
        }
        catch (ShardFailure e)
        {
            failure = e;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Report(JobPhase.Failed, succeeded, 0, reason: "DeadlineExceeded",
                message: $"the job ran longer than spec.activeDeadlineSeconds ({spec.ActiveDeadlineSeconds}s); {succeeded} of {spec.Shards} shards had finished");
        }

        if (failure is not null)
        {
            Publish();
            return Report(JobPhase.Failed, succeeded, 1, reason: "ShardRetriesExhausted", message: failure.Message);
        }

        var result = kernel.Finish(kernelJob, reducer.Result, cancellationToken);
        return Report(JobPhase.Succeeded, succeeded, 0, new RunResult(result.Value, Digest.OfText(result.Value), result.Details));
    }

    private static async Task<string> ExecuteWithRetryAsync(IComputeKernel kernel, KernelJob job, int index, int maxAttempts, TimeSpan backoff, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return kernel.ExecuteShard(job, index, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt >= maxAttempts)
                {
                    throw new ShardFailure($"shard {index} failed after {attempt} attempt(s): {e.GetType().Name}: {e.Message}", e);
                }

                var wait = backoff * Math.Pow(2, attempt - 1);
                await Task.Delay(wait < MaxBackoff ? wait : MaxBackoff, cancellationToken);
            }
        }
    }

    private sealed class ShardFailure(string message, Exception inner) : Exception(message, inner);
}
