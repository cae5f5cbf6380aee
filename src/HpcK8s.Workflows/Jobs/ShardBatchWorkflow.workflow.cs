using HpcK8s.Core.Kernels;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>
/// Runs a contiguous range of a job's shards: at most <see cref="ShardBatchInput.Parallelism"/> at once (changed by a
/// <see cref="ComputeJobWorkflow.ParallelismEvent"/> carrying the new bound), each retried with doubling back-off on
/// durable timers, partials merged as they arrive.
/// </summary>
/// <remarks>
/// Deterministic: kernels' <c>Merge</c> is pure, retries wait on durable timers, and the merge tree is fixed by
/// <see cref="ShardReducer"/>. History stays bounded by the batch size (about three events per shard attempt).
/// Retries are done here rather than by a retry policy so that the attempt number reaches the ledger and a
/// shard that fails for good comes back as data, not as an exception.
/// </remarks>
public sealed class ShardBatchWorkflow(KernelRegistry kernels) : Workflow<ShardBatchInput, ShardBatchOutput>
{
    /// <summary>The workflow's registered name.</summary>
    public const string WorkflowName = "ShardBatchWorkflow";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public override async Task<ShardBatchOutput> RunAsync(WorkflowContext context, ShardBatchInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var kernel = kernels.Get(input.Kernel);
        var job = new KernelJob(input.Parameters, input.Shards);
        var reducer = new ShardReducer(input.Count, (left, right) => kernel.Merge(job, left, right));
        var running = new Dictionary<Task, (int Index, int Attempt, bool IsRetryTimer)>();
        var completions = new CompletionQueue();
        var records = new List<LedgerRecord>();
        var next = 0;
        // spec.parallelism may change while the job runs: the new bound arrives as an event (see ComputeJobWorkflow.ParallelismEvent).
        var parallelism = input.Parallelism;
        var change = context.WaitForExternalEventAsync<int>(ComputeJobWorkflow.ParallelismEvent);
        completions.Add(change);

        void Watch(Task task, (int Index, int Attempt, bool IsRetryTimer) what)
        {
            running[task] = what;
            completions.Add(task);
        }

        void Start(int index, int attempt) =>
            Watch(context.CallActivityAsync<ExecuteShardOutput>(
                ExecuteShardActivity.ActivityName,
                new ExecuteShardInput(input.JobName, input.Kernel, input.Parameters, input.Shards, index, attempt)), (index, attempt, false));

        while (reducer.Added < input.Count)
        {
            while (running.Count < parallelism && next < input.Count)
            {
                Start(input.Start + next, 1);
                next++;
            }

            context.SetCustomStatus(new JobProgress(input.Count, reducer.Added, 0, running.Count));
            var done = await completions.NextAsync();
            if (done == change)
            {
                // Fewer: shards in flight finish, no new one starts until below the bound. More: start them next time round.
                parallelism = Math.Max(1, await change);
                change = context.WaitForExternalEventAsync<int>(ComputeJobWorkflow.ParallelismEvent);
                completions.Add(change);
                continue;
            }

            running.Remove(done, out var shard);
            if (shard.IsRetryTimer)
            {
                Start(shard.Index, shard.Attempt);
                continue;
            }

            try
            {
                var output = await (Task<ExecuteShardOutput>)done;
                reducer.Add(shard.Index - input.Start, output.Partial);
                records.Add(new LedgerRecord(LedgerRecord.ShardCompleted, Digest: output.Digest, Shard: shard.Index, Attempt: shard.Attempt,
                    Worker: output.Worker, DurationMilliseconds: output.DurationMilliseconds));
            }
            catch (WorkflowTaskFailedException e)
            {
                if (shard.Attempt >= input.MaxAttempts)
                {
                    context.SetCustomStatus(new JobProgress(input.Count, reducer.Added, 1, 0));
                    await RecordAsync(context, input.JobName, records);
                    var error = $"{e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
                    return new ShardBatchOutput(null, reducer.Added, shard.Index, error, shard.Attempt);
                }

                var delay = TimeSpan.FromMilliseconds(input.BackoffMilliseconds * Math.Pow(2, shard.Attempt - 1));
                Watch(context.CreateTimer(delay < MaxBackoff ? delay : MaxBackoff), (shard.Index, shard.Attempt + 1, true));
            }
        }

        context.SetCustomStatus(new JobProgress(input.Count, reducer.Added, 0, 0));
        await RecordAsync(context, input.JobName, records);
        return new ShardBatchOutput(reducer.Result, reducer.Added, null, null, 0);
    }

    private static Task RecordAsync(WorkflowContext context, string jobName, List<LedgerRecord> records) =>
        records.Count == 0
            ? Task.CompletedTask
            : context.CallActivityAsync<LedgerHead?>(RecordLedgerActivity.ActivityName, new RecordLedgerInput(jobName, records));
}
