using BenchmarkDotNet.Attributes;
using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Execution;
using HpcK8s.Workflows.History;

namespace HpcK8s.Benchmarks;

/// <summary>
/// One batch's turns in isolation (no SQLite): a fan-out of <see cref="Shards"/> activities whose results arrive one
/// per turn, driven by full replay each turn (<see cref="WorkflowExecutor"/>, O(n²) in total) and by a cached
/// <see cref="WorkflowSession"/> (O(n)). Run with <c>bdn --filter '*BatchTurns*'</c>.
/// </summary>
[MemoryDiagnoser]
public class BatchTurnsBenchmarks
{
    private static readonly DateTime Now = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly WorkflowRegistry _registry = new WorkflowRegistry()
        .RegisterWorkflow<int, int>("Batch", async (context, n) =>
        {
            var sum = 0;
            var tasks = Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Shard", i)).ToList();
            foreach (var task in tasks)
            {
                sum += await task;
                context.SetCustomStatus(sum);
            }

            return sum;
        });

    /// <summary>Shards in the batch.</summary>
    [Params(64, 256)]
    public int Shards { get; set; }

    /// <summary>Every turn replays the whole history.</summary>
    [Benchmark(Baseline = true)]
    public int FullReplayEachTurn() => Drive((past, next) => WorkflowExecutor.Execute(_registry, "b", past, next), null);

    /// <summary>Turns after the first continue the cached execution.</summary>
    [Benchmark]
    public int CachedSession()
    {
        var session = new WorkflowSession(_registry, "b");
        return Drive(session.Execute, session);
    }

    private int Drive(Func<IReadOnlyList<HistoryEvent>, IReadOnlyList<HistoryEvent>, WorkflowTurnResult> turn, WorkflowSession? session)
    {
        var history = new List<HistoryEvent>();
        List<HistoryEvent> next = [new WorkflowStartedEvent(-1, Now), new ExecutionStartedEvent(-1, Now, "Batch", "b", "e", WorkflowJson.Serialize(Shards), null)];
        for (var i = 0; ; i++)
        {
            var result = turn(history, next);
            history.AddRange(next);
            foreach (var action in result.Actions.OfType<ScheduleTaskAction>())
            {
                history.Add(new TaskScheduledEvent(action.Id, Now, action.Name, action.Input, action.TaskExecutionId));
            }

            session?.Acknowledge(history.Count);
            if (result.Completion is { } done)
            {
                return history.Count + (done.Result?.Length ?? 0);
            }

            next = [new WorkflowStartedEvent(-1, Now), new TaskCompletedEvent(-1, Now, i, "1", null)];
        }
    }
}
