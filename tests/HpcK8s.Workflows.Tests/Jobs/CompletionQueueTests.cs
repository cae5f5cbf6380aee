using HpcK8s.Workflows.Authoring;
using HpcK8s.Workflows.Jobs;

namespace HpcK8s.Workflows.Tests.Jobs;

public class CompletionQueueTests
{
    private static WorkflowRegistry Registry() => new WorkflowRegistry()
        .RegisterWorkflow<int, List<int>>("Order", async (ctx, n) =>
        {
            var queue = new CompletionQueue();
            var index = new Dictionary<Task, int>();
            for (var i = 0; i < n; i++)
            {
                var task = ctx.CallActivityAsync<int>("Work", i);
                index[task] = i;
                queue.Add(task);
            }

            var order = new List<int>();
            while (queue.Count > 0)
            {
                var done = await queue.NextAsync();
                try
                {
                    await done;
                    order.Add(index[done]);
                }
                catch (WorkflowTaskFailedException)
                {
                    order.Add(-index[done]);
                }
            }

            return order;
        });

    [Fact]
    public void NextAsync_HandsOutTasksInTheOrderTheirCompletionsArrive()
    {
        var sim = new HistorySimulator(Registry());
        sim.StartWorkflow("Order", 5);

        sim.Turn(sim.TaskCompleted(3, 0));
        sim.Turn(sim.TaskCompleted(1, 0), sim.TaskFailed(4, "boom", nonRetriable: true));
        sim.Turn(sim.TaskCompleted(0, 0), sim.TaskCompleted(2, 0));

        Assert.Equal("[3,1,-4,0,2]", sim.Completion?.Result);
    }

    [Fact]
    public async Task NextAsync_AlreadyCompletedTasks_ComeFirstInCompletionOrder()
    {
        var queue = new CompletionQueue();
        var late = new TaskCompletionSource();
        queue.Add(late.Task);
        queue.Add(Task.CompletedTask);

        Assert.Same(Task.CompletedTask, await queue.NextAsync());
        var next = queue.NextAsync();
        Assert.False(next.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => { _ = queue.NextAsync(); });
        late.SetResult();
        Assert.Same(late.Task, await next);
        Assert.Throws<InvalidOperationException>(() => { _ = queue.NextAsync(); });
    }
}
