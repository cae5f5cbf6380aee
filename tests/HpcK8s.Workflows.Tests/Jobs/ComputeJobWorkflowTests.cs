using System.Collections.Concurrent;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Testing;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Workflows.Tests.Jobs;

public sealed class ComputeJobWorkflowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpck8s-jobs-").FullName;
    private readonly ScriptedKernel _kernel = new();
    private readonly RecordingLedger _ledger = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ComputeJobInput Job(int shards, int? parallelism = null, Dictionary<string, string>? parameters = null, int maxAttempts = 3, long? deadline = null, int batchSize = 16)
    {
        var spec = new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "scripted" },
            Parameters = parameters ?? [],
            Shards = shards,
            Parallelism = parallelism,
            Retry = new RetrySpec { MaxAttempts = maxAttempts, Backoff = "10ms" },
            ActiveDeadlineSeconds = deadline,
        };
        return new ComputeJobInput("job", spec, SpecDigest.Compute(spec), batchSize);
    }

    private async Task<(WorkflowInstanceState State, ComputeJobOutput? Output)> RunAsync(ComputeJobInput input, int workers = 4)
    {
        var registry = new WorkflowRegistry().AddJobWorkflows(new KernelRegistry([_kernel]), _ledger);
        await using var engine = LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = _dir, Workers = workers, PollInterval = TimeSpan.FromMilliseconds(20) });
        using var client = new LocalWorkflowClient(_dir);
        client.StartWorkflow(ComputeJobWorkflow.WorkflowName, "job", input);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var state = await client.WaitForCompletionAsync("job", TimeSpan.FromMilliseconds(10), cts.Token);
        return (state, WorkflowJson.Deserialize<ComputeJobOutput>(state.Output));
    }

    [Fact]
    public async Task Run_ManyShardsInBatches_MergesEveryShard()
    {
        var (state, output) = await RunAsync(Job(shards: 200, batchSize: 16));

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.NotNull(output);
        Assert.Equal(JobPhase.Succeeded, output.Phase);
        Assert.Equal(Enumerable.Range(0, 200).Sum(i => (long)i * i).ToString(System.Globalization.CultureInfo.InvariantCulture), output.Value);
        Assert.Equal(Digest.OfText(output.Value!), output.Digest);
        Assert.Equal(200, output.Succeeded);
        using var client = new LocalWorkflowClient(_dir);
        var batches = client.ListInstances("job");
        Assert.Equal(13, batches.Count);
        Assert.Equal(ComputeJobWorkflow.BatchInstanceId("job", 0), batches[0].InstanceId);
        // Bounded histories: no instance's history grows with the job, only with its batch.
        Assert.All(batches, b => Assert.InRange(client.GetHistory(b.InstanceId).Count, 1, 16 * 3 + 12));
        Assert.InRange(client.GetHistory("job").Count, 1, 13 * 3 + 16);
        Assert.Equal(200, _kernel.Executions);
    }

    [Fact]
    public async Task Run_Parallelism_BoundsShardsInFlight()
    {
        await RunAsync(Job(shards: 24, parallelism: 3, parameters: new() { ["sleepMs"] = "20" }, batchSize: 8), workers: 8);

        Assert.InRange(_kernel.MaxConcurrent, 1, 3);
    }

    [Fact]
    public async Task Run_ParallelismEvent_WidensTheJobAndItsRunningBatch()
    {
        var registry = new WorkflowRegistry().AddJobWorkflows(new KernelRegistry([_kernel]), _ledger);
        await using var engine = LocalWorkflowEngine.Start(registry, new LocalEngineOptions { StateDirectory = _dir, Workers = 8, PollInterval = TimeSpan.FromMilliseconds(20) });
        using var client = new LocalWorkflowClient(_dir);
        client.StartWorkflow(ComputeJobWorkflow.WorkflowName, "job", Job(shards: 24, parallelism: 1, parameters: new() { ["sleepMs"] = "40" }, batchSize: 4));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (_kernel.Executions < 2)
        {
            await Task.Delay(10, cts.Token);
        }

        Assert.Equal(1, _kernel.MaxConcurrent);
        // As the operator does: the job its new bound, each open batch its share.
        client.RaiseEvent("job", ComputeJobWorkflow.ParallelismEvent, 8);
        foreach (var batch in client.ListInstances("job").Where(b => !b.IsTerminal))
        {
            client.RaiseEvent(batch.InstanceId, ComputeJobWorkflow.ParallelismEvent, ComputeJobWorkflow.Plan(8, 4).Inner);
        }

        var state = await client.WaitForCompletionAsync("job", TimeSpan.FromMilliseconds(10), cts.Token);

        Assert.Equal(JobPhase.Succeeded, WorkflowJson.Deserialize<ComputeJobOutput>(state.Output)!.Phase);
        Assert.Equal(24, _kernel.Executions);
        Assert.InRange(_kernel.MaxConcurrent, 5, 8);
    }

    [Theory]
    [InlineData(1, 256, 1, 1)]
    [InlineData(64, 256, 64, 1)]
    [InlineData(1000, 256, 256, 3)]
    [InlineData(8, 4, 4, 2)]
    [InlineData(0, 4, 1, 1)]
    public void Plan_SplitsParallelismIntoBatchShareAndBatchesAtOnce(int parallelism, int batchSize, int inner, int concurrent) =>
        Assert.Equal((inner, concurrent), ComputeJobWorkflow.Plan(parallelism, batchSize));

    [Fact]
    public async Task Run_TransientShardFailures_RetriedAndRecordedWithAttempt()
    {
        var (_, output) = await RunAsync(Job(shards: 5, parameters: new() { ["failFirst"] = "2" }));

        Assert.Equal(JobPhase.Succeeded, output!.Phase);
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(3, _kernel.AttemptsOf(i)));
        var shards = _ledger.Records.Where(r => r.Kind == LedgerRecord.ShardCompleted).ToList();
        Assert.Equal(5, shards.Count);
        Assert.All(shards, r => Assert.Equal(3, r.Attempt));
    }

    [Fact]
    public async Task Run_ShardFailsEveryAttempt_JobFailsNamingShardAndError()
    {
        var (state, output) = await RunAsync(Job(shards: 6, parameters: new() { ["alwaysFail"] = "4" }, maxAttempts: 2));

        Assert.Equal(OrchestrationStatus.Completed, state.Status);
        Assert.Equal(JobPhase.Failed, output!.Phase);
        Assert.Equal(JobReasons.ShardRetriesExhausted, output.Reason);
        Assert.Equal("shard 4 failed after 2 attempt(s): System.InvalidOperationException: shard 4 is broken", output.Message);
        Assert.Equal(2, _kernel.AttemptsOf(4));
        Assert.Equal(LedgerRecord.JobFailed, _ledger.Records[^1].Kind);
    }

    [Fact]
    public async Task Run_Deadline_FailsWithDeadlineExceeded()
    {
        var (_, output) = await RunAsync(Job(shards: 40, parallelism: 1, parameters: new() { ["sleepMs"] = "100" }, deadline: 1), workers: 1);

        Assert.Equal(JobPhase.Failed, output!.Phase);
        Assert.Equal(JobReasons.DeadlineExceeded, output.Reason);
        Assert.Contains("spec.activeDeadlineSeconds (1s)", output.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Ledger_RecordsAcceptedEveryShardAndCompleted()
    {
        var input = Job(shards: 20, batchSize: 8);
        var (_, output) = await RunAsync(input);

        Assert.Equal(LedgerRecord.JobAccepted, _ledger.Records[0].Kind);
        Assert.Equal(input.SpecDigest, _ledger.Records[0].Digest);
        Assert.Equal(Enumerable.Range(0, 20), _ledger.Records.Where(r => r.Kind == LedgerRecord.ShardCompleted).Select(r => r.Shard!.Value).Order());
        var completed = _ledger.Records[^1];
        Assert.Equal(LedgerRecord.JobCompleted, completed.Kind);
        Assert.Equal(output!.Digest, completed.Digest);
    }

    [Fact]
    public async Task Run_CustomStatus_ReportsProgress()
    {
        await RunAsync(Job(shards: 10, batchSize: 4));

        using var client = new LocalWorkflowClient(_dir);
        var progress = WorkflowJson.Deserialize<JobProgress>(client.GetInstance("job")!.CustomStatus);
        Assert.Equal(new JobProgress(10, 10, 0, 0), progress);
        Assert.Equal(10, client.ListInstances("job").Sum(b => WorkflowJson.Deserialize<JobProgress>(b.CustomStatus)!.Succeeded));
    }

    private sealed class RecordingLedger : IJobLedger
    {
        private readonly ConcurrentQueue<LedgerRecord> _records = new();

        public List<LedgerRecord> Records => [.. _records];

        public Task<LedgerHead?> AppendAsync(string jobName, IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken)
        {
            foreach (var record in records)
            {
                _records.Enqueue(record);
            }

            return Task.FromResult<LedgerHead?>(new LedgerHead(_records.Count, "sha256:test"));
        }

        public Task<bool> ExistsAsync(string ledgerId, CancellationToken cancellationToken) => Task.FromResult(!_records.IsEmpty);
    }
}
