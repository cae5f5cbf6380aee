using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Model;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.History;
using HpcK8s.Workflows.Jobs;
using HpcK8s.Workflows.Local;

namespace HpcK8s.Benchmarks;

/// <summary>What one benchmark job run measured.</summary>
/// <param name="Shards">Shards in the job.</param>
/// <param name="WallSeconds">From engine start to the job seen completed by a client.</param>
/// <param name="Turns">Workflow turns the engine ran.</param>
/// <param name="FullReplays">Turns that replayed their whole history (the rest continued a cached execution).</param>
/// <param name="PeakWorkingSetBytes">The process's peak resident set (VmHWM) when the job ended.</param>
/// <param name="PeakGcHeapBytes">The largest managed heap size sampled during the run.</param>
/// <param name="LargestHistoryBytes">The largest instance history, as the JSON the engine stores (0 when not measured).</param>
/// <param name="LargestHistoryEvents">Events in that history.</param>
internal sealed record EngineRunResult(int Shards, double WallSeconds, long Turns, long FullReplays, long PeakWorkingSetBytes, long PeakGcHeapBytes, long LargestHistoryBytes, int LargestHistoryEvents);

/// <summary>Runs one ComputeJobWorkflow on the real <see cref="LocalWorkflowEngine"/> in a temporary state directory,
/// the way <c>hpck8s run</c> does (engine started, job started through the client, completion polled).</summary>
internal static class EngineJob
{
    public static EngineRunResult Run(IComputeKernel kernel, int shards, int workers, IReadOnlyDictionary<string, string>? parameters = null, bool measureHistories = false)
    {
        var dir = Directory.CreateTempSubdirectory("hpck8s-bench-engine-").FullName;
        try
        {
            var registry = new WorkflowRegistry().AddJobWorkflows(new KernelRegistry([kernel]), NoLedger.Instance);
            var spec = new ComputeJobSpec
            {
                Kernel = new KernelReference { Name = kernel.Name },
                Parameters = parameters?.ToDictionary() ?? [],
                Shards = shards,
            };
            var input = new ComputeJobInput("bench", spec, SpecDigest.Compute(spec));
            using var sampling = new CancellationTokenSource();
            long peakHeap = 0;
            var sampler = new Thread(() =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            sampler.Start();

            var clock = Stopwatch.StartNew();
            WorkflowInstanceState state;
            long turns, fullReplays;
            var options = new LocalEngineOptions { StateDirectory = dir, Workers = workers };
            if (Environment.GetEnvironmentVariable("HPCK8S_BENCH_MAX_CACHED") is { Length: > 0 } cached)
            {
                // For before/after runs: 0 replays every turn in full, as the engine did before it cached executions.
                options.MaxCachedExecutions = int.Parse(cached, CultureInfo.InvariantCulture);
            }

            var engine = LocalWorkflowEngine.Start(registry, options);
            try
            {
                using var client = new LocalWorkflowClient(dir);
                client.StartWorkflow(ComputeJobWorkflow.WorkflowName, "bench", input);
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
                state = client.WaitForCompletionAsync("bench", TimeSpan.FromMilliseconds(5), timeout.Token).GetAwaiter().GetResult();
                clock.Stop();
                turns = engine.Turns;
                fullReplays = engine.FullReplays;
            }
            finally
            {
                engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            sampling.Cancel();
            sampler.Join();
            using var process = Process.GetCurrentProcess();
            var peakWorkingSet = process.PeakWorkingSet64;

            var output = WorkflowJson.Deserialize<ComputeJobOutput>(state.Output);
            if (state.Status != OrchestrationStatus.Completed || output?.Value != shards.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"benchmark job ended {state.Status} with value {output?.Value ?? "null"} ({output?.Message ?? state.Failure?.ErrorMessage}); expected {shards}");
            }

            var (largestBytes, largestEvents) = measureHistories ? LargestHistory(dir) : (0L, 0);
            return new EngineRunResult(shards, clock.Elapsed.TotalSeconds, turns, fullReplays, peakWorkingSet, peakHeap, largestBytes, largestEvents);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The history's size as the engine stores it (JSON per event); the Dapr sidecar carries the same events as protobuf,
    // which is no larger.
    private static (long Bytes, int Events) LargestHistory(string dir)
    {
        using var client = new LocalWorkflowClient(dir);
        long bytes = 0;
        var events = 0;
        foreach (var instance in client.ListInstances())
        {
            var history = client.GetHistory(instance.InstanceId);
            var size = history.Sum(e => (long)JsonSerializer.SerializeToUtf8Bytes(e, WorkflowJson.Options).Length);
            if (size > bytes)
            {
                (bytes, events) = (size, history.Count);
            }
        }

        return (bytes, events);
    }
}
