using System.Collections.Concurrent;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Dapr.Tests.Workflows;

/// <summary>The workflows and activities of the interop tests; every worker registers all of them, so any worker can
/// take over any instance.</summary>
internal static class InteropWorkflows
{
    /// <summary>Attempts per task execution id of <c>Flaky</c> (shared by all attempts of one call).</summary>
    public static ConcurrentDictionary<string, int> FlakyAttempts { get; } = new();

    /// <summary>How many times <c>Slow</c> ran (activities run at least once).</summary>
    public static int SlowRuns;

    public static WorkflowRegistry CreateRegistry() => new WorkflowRegistry()
        .RegisterWorkflow<int, long>("FanOut", async (context, count) =>
        {
            context.SetCustomStatus(new { scheduled = count });
            var squares = await Task.WhenAll(Enumerable.Range(1, count).Select(i => context.CallActivityAsync<long>("Square", i)));
            context.SetCustomStatus(new { done = squares.Length });
            return squares.Sum();
        })
        .RegisterWorkflow<int, long>("SlowFanOut", async (context, count) =>
        {
            var values = await Task.WhenAll(Enumerable.Range(1, count).Select(i => context.CallActivityAsync<long>("Slow", i)));
            return values.Sum();
        })
        .RegisterWorkflow<int, long>("Parent", async (context, children) =>
        {
            var sums = await Task.WhenAll(Enumerable.Range(1, children).Select(i => context.CallChildWorkflowAsync<long>("Child", i)));
            return sums.Sum();
        })
        .RegisterWorkflow<int, long>("Child", async (context, i) =>
            await context.CallActivityAsync<long>("Square", i) + await context.CallActivityAsync<long>("Square", i + 1))
        .RegisterWorkflow<string, string>("ParentOfFailingChild", async (context, _) =>
        {
            try
            {
                await context.CallChildWorkflowAsync<string>("FailingChild", null, new ChildWorkflowTaskOptions(context.InstanceId + "-child"));
                return "no failure";
            }
            catch (WorkflowTaskFailedException ex)
            {
                return $"{ex.FailureDetails.ErrorType}|{ex.FailureDetails.ErrorMessage}";
            }
        })
        .RegisterWorkflow<string?, string>("FailingChild", (_, _) => throw new InvalidOperationException("child says no"))
        .RegisterWorkflow<int, double[]>("Timer", async (context, milliseconds) =>
        {
            var before = context.CurrentUtcDateTime;
            await context.CreateTimer(TimeSpan.FromMilliseconds(milliseconds));
            var after = context.CurrentUtcDateTime;
            return [(after - before).TotalMilliseconds];
        })
        .RegisterWorkflow<string?, string>("WaitEvent", async (context, _) =>
        {
            context.SetCustomStatus("waiting");
            var value = await context.WaitForExternalEventAsync<string>("Approval");
            return "approved:" + value;
        })
        .RegisterWorkflow<int, string>("WaitEventTimeout", async (context, milliseconds) =>
        {
            try
            {
                return await context.WaitForExternalEventAsync<string>("Never", TimeSpan.FromMilliseconds(milliseconds));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        })
        .RegisterWorkflow<string?, string>("Flaky", (context, _) =>
            context.CallActivityAsync<string>("FlakyActivity", 2, new WorkflowTaskOptions(new WorkflowRetryPolicy(3, TimeSpan.FromMilliseconds(100)))))
        .RegisterWorkflow<string?, string>("AlwaysFailing", (context, _) => context.CallActivityAsync<string>("Boom"))
        .RegisterWorkflow<int, int>("Counter", (context, n) =>
        {
            context.SetCustomStatus(new { generation = n });
            if (n < 5)
            {
                context.ContinueAsNew(n + 1);
            }

            return Task.FromResult(n);
        })
        .RegisterActivity<int, long>("Square", (_, i) => Task.FromResult((long)i * i))
        .RegisterActivity<int, long>("Slow", async (context, i) =>
        {
            Interlocked.Increment(ref SlowRuns);
            await Task.Delay(50, context.CancellationToken);
            return i;
        })
        .RegisterActivity<int, string>("FlakyActivity", (context, failures) =>
        {
            var key = context.TaskExecutionId ?? throw new InvalidOperationException("no task execution id reached the activity");
            var attempt = FlakyAttempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (attempt <= failures)
            {
                throw new InvalidOperationException($"attempt {attempt} fails");
            }

            return Task.FromResult($"ok after {attempt} attempts");
        })
        .RegisterActivity<string?, string>("Boom", (_, _) => throw new InvalidOperationException("boom", new ArgumentException("root cause")));
}
